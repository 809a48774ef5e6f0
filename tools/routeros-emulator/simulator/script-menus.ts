import { booleanValue } from "../engine/menu-engine.ts";
import type { Request } from "../engine/request.ts";
import type { Router } from "../router.ts";
import { NIL, str, toText, type MenuCall, type Value } from "../script/index.ts";
import { NOT_ENOUGH_PERMISSIONS, type RunAs } from "./script-policy.ts";

/** Runs a stored `/system script` by name, as `/system script run` does. */
export type StoredScriptRunner = (name: string) => Promise<void>;

/**
 * Test hooks into the commands scripts run. `afterFind` runs between a script's `find` and
 * whatever comes next, with the menu's path and the ids found: a test removes one there to
 * show what a script meets when an entry vanishes between its `find` and its `get`, as a lease
 * that expires mid-run does on a router.
 */
export interface ScriptHooks {
  afterFind?: (path: string, ids: string[]) => void | Promise<void>;
}

const SCRIPT_MENU = "system/script";

/** The policy each script verb needs (manual, Scripting: `read` to read the configuration, `write` to change it). */
const VERB_POLICY: Record<MenuCall["verb"], string | undefined> = {
  find: "read",
  get: "read",
  add: "write",
  set: "write",
  remove: "write",
  enable: "write",
  disable: "write",
  // `/system script run` checks the script's own policies.
  run: undefined,
};

/**
 * Runs a script's menu commands through the same router the API uses, so that a script is
 * refused what an API client is refused, with the same words:
 * - `find name=value ...` is a print matching every given property, answering the ids;
 * - `get [id] property` reads one property (no id on a menu without items, e.g. /system identity);
 * - `add`, `set`, `remove`, `enable` and `disable` take their ids as the first value, as an id,
 *   a name or an array of them; an empty array changes nothing, as on RouterOS;
 * - `/system script run name` runs the stored script.
 * Each command first needs its policy in `run`'s (VERB_POLICY), as on RouterOS.
 */
export function scriptMenus(router: Router, runStoredScript: StoredScriptRunner, hooks: ScriptHooks, run: RunAs): (call: MenuCall) => Promise<Value> {
  const execute = (path: string, verb: string, args: Map<string, string>, query: string[] = [], proplist?: string[]) => {
    const request: Request = { command: `/${path}/${verb}`, args, query, proplist, tag: undefined };
    return router.execute(request, new AbortController().signal, run.user);
  };
  return async ({ path, verb, positional, named }) => {
    const needed = VERB_POLICY[verb];
    if (needed !== undefined && !run.policy.has(needed)) throw new Error(NOT_ENOUGH_PERMISSIONS);
    const args = new Map(named.map(([name, value]) => [name, toText(value)]));
    switch (verb) {
      case "find": {
        // A script's `find dynamic=no` matches the rows printed `dynamic=false`: a yes/no property
        // takes either spelling, in a find as in an add (manual, Scripting: `find` takes the
        // menu's properties).
        const properties = router.context.menu(`/${path}`)?.properties ?? [];
        const spelled = (name: string, value: string) =>
          properties.some((property) => property.name === name && property.boolean) ? booleanValue(name, value) : value;
        const query = [...args].map(([name, value]) => `?${name}=${spelled(name, value)}`);
        const reply = await execute(path, "print", new Map(), query, [".id"]);
        const ids = reply.items.map((item) => item[".id"] ?? "");
        await hooks.afterFind?.(`/${path}`, ids);
        return arrayOf(ids.map(str));
      }
      case "get": {
        const [first, second] = positional;
        const property = toText(second ?? first ?? NIL);
        const query = second === undefined ? [] : [`?.id=${idsOf(first ?? NIL)}`];
        const reply = await execute(path, "print", new Map(), query);
        const [item] = reply.items;
        if (!item) throw new Error("no such item");
        const known = router.context.menu(`/${path}`)?.properties.some((candidate) => candidate.name === property);
        if (!known && property !== ".id") throw new Error(`no such property ${property}`);
        const value = item[property];
        return value === undefined ? NIL : str(value);
      }
      case "run": {
        if (path !== SCRIPT_MENU) throw new Error("no such command");
        await runStoredScript(toText(positional[0] ?? NIL));
        return NIL;
      }
      case "add": {
        const reply = await execute(path, "add", args);
        return str(reply.ret ?? "");
      }
      default: {
        const ids = idsOf(positional[0] ?? NIL);
        if (ids === "") return NIL;
        await execute(path, verb, new Map([[".id", ids], ...args]));
        return NIL;
      }
    }
  };
}

function arrayOf(values: Value[]): Value {
  return { type: "array", entries: new Map(values.map((value, index) => [String(index), value])) };
}

/** An id, a name or an array of them, as the comma-separated list the API takes. */
function idsOf(value: Value): string {
  return value.type === "array" ? [...value.entries.values()].map(toText).join(",") : toText(value);
}
