/** RouterOS durations, as the config writes them and as routers print them: 30m, 1d12h, 00:10:00. */

const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

export const DURATION_PATTERN = /^(?:(?:\d+[wdhms])+|\d+:\d{2}:\d{2})$/;

/** The duration in seconds; undefined when `text` is not a duration. */
export function durationSeconds(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(text);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  return [...text.matchAll(/(\d+)([wdhms])/g)].reduce((total, [, count, unit]) => total + Number(count) * (UNIT_SECONDS[unit ?? ""] ?? 0), 0);
}
