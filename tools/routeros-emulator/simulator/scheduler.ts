import { durationSeconds } from "../../routeros/duration.ts";
import type { RouterState, Row } from "../engine/state.ts";
import { scheduler } from "../menus/system.ts";

const TICK_MS = 250;

/**
 * Runs the `/system/scheduler` items that have an `interval`, as RouterOS does: each one's
 * `on-event` every interval, the first time one interval after it is seen. A run starts on time
 * even while the item's last run is still going: RouterOS's scheduler does not wait for it, which
 * is why scripts guard themselves against overlap (the usual guard counts the script's entries in
 * `/system script job`). Items without an interval (start-time only) and disabled ones do not
 * run. A failed run is the runner's to log. Returns the function that stops the scheduler.
 */
export function startScheduler(state: RouterState, run: (item: Row) => Promise<void>): () => void {
  const due = new Map<number, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const item of state.table(scheduler.path).rows) {
      const interval = (durationSeconds(item.values.interval ?? "") ?? 0) * 1000;
      if (interval === 0 || item.values.disabled === "true") continue;
      const at = due.get(item.id);
      if (at === undefined || at > now + interval) {
        due.set(item.id, now + interval);
        continue;
      }
      if (at > now) continue;
      due.set(item.id, now + interval);
      void run(item).catch(() => undefined);
    }
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
