import type { RouterState } from "../engine/state.ts";
import { scheduler } from "../menus/system.ts";

const TICK_MS = 250;
const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * Runs the `/system/scheduler` items that have an `interval`, as RouterOS does: each one's
 * `on-event` every interval, the first time one interval after it is seen, and never two runs of
 * one item at once. Items without an interval (start-time only) and disabled ones do not run.
 * A failed run is the runner's to log. Returns the function that stops the scheduler.
 */
export function startScheduler(state: RouterState, run: (source: string) => Promise<void>): () => void {
  const due = new Map<number, number>();
  const running = new Set<number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const item of state.table(scheduler.path).rows) {
      const interval = intervalMilliseconds(item.values.interval ?? "");
      if (interval === 0 || item.values.disabled === "true" || running.has(item.id)) continue;
      const at = due.get(item.id);
      if (at === undefined || at > now + interval) {
        due.set(item.id, now + interval);
        continue;
      }
      if (at > now) continue;
      due.set(item.id, now + interval);
      running.add(item.id);
      void run(item.values["on-event"] ?? "")
        .catch(() => undefined)
        .finally(() => running.delete(item.id));
    }
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** `30s`, `1m30s`, `1d`, `00:05:00` (RouterOS's ways of writing a time) in milliseconds; 0 when unset. */
export function intervalMilliseconds(text: string): number {
  const clock = /^(?:(\d+)d)?(\d+):(\d{2}):(\d{2})$/.exec(text);
  if (clock) {
    const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = clock;
    return ((Number(days) * 24 + Number(hours)) * 3600 + Number(minutes) * 60 + Number(seconds)) * 1000;
  }
  let seconds = 0;
  const parts = text.match(/\d+[wdhms]/g) ?? [];
  if (parts.join("") !== text) return 0;
  for (const part of parts) seconds += Number(part.slice(0, -1)) * (UNIT_SECONDS[part.slice(-1)] ?? 0);
  return seconds * 1000;
}
