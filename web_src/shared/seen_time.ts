// How the UI shows a server timestamp: relative ("3 minutes ago") in the user's language, with the
// exact date and time in the user's time zone for a tooltip.
import { DateTime } from "luxon";

export interface SeenTime {
  relative: string;
  exact: string;
}

/** Odoo sends UTC either as "YYYY-MM-DD HH:mm:ss" (fields) or ISO 8601 (bus payloads). */
export function parseServerTime(value: string): DateTime {
  return DateTime.fromISO(value.replace(" ", "T"), { zone: "utc" });
}

export function describeSeen(value: string | false, now: DateTime, timeZone?: string): SeenTime | null {
  if (!value) return null;
  const moment = parseServerTime(value);
  if (!moment.isValid) return null;
  // A server clock a little ahead of the browser's must not read "in 2 seconds".
  const shown = moment < now ? moment : now.minus({ seconds: 1 });
  const local = timeZone ? moment.setZone(timeZone) : moment.toLocal();
  return {
    relative: shown.toRelative({ base: now }) ?? "",
    exact: local.toLocaleString(DateTime.DATETIME_MED_WITH_SECONDS),
  };
}
