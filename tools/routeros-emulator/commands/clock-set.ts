import { rejectUnknown, unmatchedValue, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import { clock } from "../menus/time.ts";
import type { MenuAction } from "./command.ts";

const TIME = /^(\d{1,2}):(\d{2}):(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `/system/clock/set`: `time=HH:MM:SS` and `date=YYYY-MM-DD` move the router's clock (the NTP
 * client, while it runs, takes it back); the time zone settings are kept. The emulated router
 * runs on UTC.
 */
export const clockSet: MenuAction = {
  path: "/system/clock/set",
  argumentsAt: () => ["date", "time", "time-zone-autodetect", "time-zone-name"],
  run(args: Map<string, string>, context: MenuContext): CommandReply {
    rejectUnknown(args, clockSet.argumentsAt(context.version));
    const [currentDate = "", currentTime = ""] = context.state.timestamp().split(" ");
    const date = args.get("date") ?? currentDate;
    const time = args.get("time") ?? currentTime;
    if (!DATE.test(date)) throw unmatchedValue("date");
    if (!TIME.test(time)) throw unmatchedValue("time");
    const moment = new Date(`${date}T${time.padStart(8, "0")}Z`);
    if (Number.isNaN(moment.getTime())) throw unmatchedValue(args.has("date") ? "date" : "time");
    const zone: Record<string, string> = {};
    for (const name of ["time-zone-autodetect", "time-zone-name"]) {
      const value = args.get(name);
      if (value !== undefined) zone[name] = name === "time-zone-autodetect" ? booleanText(value) : value;
    }
    const [row] = context.state.table(clock.path).rows;
    if (row) Object.assign(row.values, zone);
    else context.state.insert(clock.path, zone);
    if (args.has("date") || args.has("time")) context.state.clock.set(moment);
    context.changed();
    return { items: [] };
  },
};

function booleanText(value: string): string {
  if (value === "yes" || value === "true") return "true";
  if (value === "no" || value === "false") return "false";
  throw unmatchedValue("time-zone-autodetect");
}
