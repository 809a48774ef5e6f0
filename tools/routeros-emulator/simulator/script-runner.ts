import { treeArguments } from "../engine/grammar-commands.ts";
import type { RouterState, Row } from "../engine/state.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import type { Router } from "../router.ts";
import { routerFetch, runScript, ScriptError, type ScriptHost } from "../script/index.ts";
import { routerTrust } from "../tls/router-trust.ts";
import type { LeaseScriptRunner } from "./dhcp.ts";
import { scriptMenus, type ScriptHooks } from "./script-menus.ts";
import { lacks, NOT_ENOUGH_PERMISSIONS, policySet, SYSTEM, type RunAs } from "./script-policy.ts";

const SCRIPT_MENU = "/system/script";
const ID_REFERENCE = /^\*[0-9A-Fa-f]+$/;

/** How the router runs scripts: lease-scripts, stored scripts by name or `.id`, scheduler events. */
export interface ScriptRunner {
  /** A DHCP server's lease-script, which the system runs with every policy. */
  runLeaseScript: LeaseScriptRunner;
  /** `/system script run <name or .id>` by `caller`; a script error is a category 3 trap. */
  runStored(reference: string, caller: RunAs): Promise<void>;
  /**
   * A scheduler item's `on-event`, as its owner with its policies: the name of a stored script
   * runs that script (manual "Scheduler": on-event is the name of the script to execute),
   * anything else runs as a script.
   */
  runEvent(item: Row): Promise<void>;
}

/**
 * Runs scripts in the emulator's script interpreter, with the menus of `router` (a function,
 * since the router is built with this runner), each under the policies it runs with (see
 * script-policy.ts). `:log` lines (and `:put` output, which has no console to go to) land in
 * `/log` under the `script` topic; a script error is logged as `script,error` and becomes a
 * category 3 trap. Global variables are kept per user.
 */
export function interpreterRunner(state: RouterState, version: string, router: () => Router, hooks: ScriptHooks = {}): ScriptRunner {
  const fetchArguments = new Set(treeArguments(version, "/tool/fetch"));
  // The router's fetch trusts its own certificate store and clock, never the host's.
  const fetch = routerFetch(() => routerTrust(state));
  const globalsByUser = new Map<string, Map<string, string>>();
  const globalsOf = (user: string): Map<string, string> => {
    let globals = globalsByUser.get(user);
    if (!globals) globalsByUser.set(user, (globals = new Map()));
    return globals;
  };

  /** The host of one run: what `run` may touch, and the globals of `owner`. */
  function hostFor(run: RunAs, owner: string): ScriptHost {
    const menu = scriptMenus(router(), (name) => runStoredScript(name, run), hooks, run);
    return {
      fetchArguments,
      log: (topic, message) => state.log(`script,${topic}`, message),
      put: (text) => state.log("script,info", text),
      fetch: (request) => (run.policy.has("test") ? fetch(request) : Promise.reject(new Error(NOT_ENOUGH_PERMISSIONS))),
      globals: globalsOf(owner),
      menu,
    };
  }

  async function runStoredScript(reference: string, caller: RunAs): Promise<void> {
    const rows = state.table(SCRIPT_MENU).rows;
    const id = ID_REFERENCE.test(reference) ? Number.parseInt(reference.slice(1), 16) : undefined;
    const stored = id === undefined ? state.rowNamed(SCRIPT_MENU, reference) : rows.find((row) => row.id === id);
    if (!stored) throw new Error("no such item");
    const policy = policySet(stored.values.policy);
    const owner = stored.values.owner ?? "admin";
    const bypass = stored.values["dont-require-permissions"] === "true";
    // The caller must hold the script's policies, and `policy` to use another user's globals.
    if (!bypass && (lacks(caller, policy) || (owner !== caller.user && !caller.policy.has("policy")))) {
      throw new ScriptError(NOT_ENOUGH_PERMISSIONS);
    }
    const job = state.startScriptJob(stored.values.name ?? reference);
    try {
      await runScript(stored.values.source ?? "", {}, hostFor({ user: owner, policy }, owner));
    } finally {
      state.endScriptJob(job);
    }
  }

  /** A script failure becomes RouterOS's category 3 trap, and a `script,error` line. */
  async function reported(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      state.log("script,error", error.message);
      throw new Trap(error.message, TrapCategory.scripting);
    }
  }

  return {
    runLeaseScript: (source, variables) => reported(() => runScript(source, variables, hostFor(SYSTEM, SYSTEM.user))),
    runStored: async (reference, caller) => {
      try {
        await reported(() => runStoredScript(reference, caller));
      } catch (error) {
        if (error instanceof Trap) throw error;
        throw new Trap((error as Error).message, TrapCategory.missingItem);
      }
    },
    runEvent: (item) => {
      const onEvent = (item.values["on-event"] ?? "").trim();
      const run: RunAs = { user: item.values.owner ?? "admin", policy: policySet(item.values.policy) };
      return reported(() => (state.rowNamed(SCRIPT_MENU, onEvent) ? runStoredScript(onEvent, run) : runScript(onEvent, {}, hostFor(run, run.user))));
    },
  };
}
