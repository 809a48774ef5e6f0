import { certificateImport } from "./certificate-import.ts";
import { clockSet } from "./clock-set.ts";
import { leaseMakeStatic } from "./lease-make-static.ts";
import { monitorTraffic } from "./monitor-traffic.ts";
import type { MenuAction } from "./command.ts";
import { scriptRun } from "./script-run.ts";
import { toolFetch } from "./tool-fetch.ts";

export type { MenuAction } from "./command.ts";

/** Menu commands with their own behaviour, by full path; they take precedence over the generic ones. */
export const MENU_ACTIONS: ReadonlyMap<string, MenuAction> = new Map(
  [certificateImport, clockSet, scriptRun, toolFetch, leaseMakeStatic, monitorTraffic].map((action) => [action.path, action]),
);
