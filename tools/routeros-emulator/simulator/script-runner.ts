import { GRAMMAR_VERSIONS, loadGrammar, nodeAt } from "../../routeros/grammar.ts";
import type { RouterState } from "../engine/state.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import type { Router } from "../router.ts";
import { routerFetch, runScript, ScriptError, type MenuCall, type ScriptHost, type Value } from "../script/index.ts";
import { routerTrust } from "../tls/router-trust.ts";
import type { LeaseScriptRunner } from "./dhcp.ts";
import { treeVersionFor } from "../version.ts";
import { scriptMenus, type ScriptHooks } from "./script-menus.ts";

const SCRIPT_MENU = "/system/script";
const ID_REFERENCE = /^\*[0-9A-Fa-f]+$/;

/** The arguments `/tool fetch` takes on `version`, from its command tree. */
function fetchArgumentsOf(version: string): ReadonlySet<string> {
  const fetch = nodeAt(loadGrammar(treeVersionFor(version, GRAMMAR_VERSIONS)).tree, "/tool/fetch") ?? {};
  return new Set(Object.keys(fetch).filter((name) => name !== "_type"));
}

/** How the router runs scripts: lease-scripts, stored scripts by name or `.id`, scheduler events. */
export interface ScriptRunner {
  runLeaseScript: LeaseScriptRunner;
  /** `/system script run <name or .id>`; a script error is a category 3 trap. */
  runStored(reference: string): Promise<void>;
  /**
   * A scheduler item's `on-event`: the name of a stored script runs that script (manual
   * "Scheduler": on-event is the name of the script to execute), anything else runs as a script.
   */
  runEvent(onEvent: string): Promise<void>;
}

/**
 * Runs scripts in the emulator's script interpreter, with the menus of `router` (a function,
 * since the router is built with this runner). `:log` lines (and `:put` output, which has no
 * console to go to) land in `/log` under the `script` topic; a script error is logged as
 * `script,error` and becomes a category 3 trap. The host, and so the `:global` variables, are
 * shared by every script of the router.
 */
export function interpreterRunner(state: RouterState, version: string, router: () => Router, hooks: ScriptHooks = {}): ScriptRunner {
  const host: ScriptHost = {
    fetchArguments: fetchArgumentsOf(version),
    log: (topic, message) => state.log(`script,${topic}`, message),
    put: (text) => state.log("script,info", text),
    // The router's fetch trusts its own certificate store and clock, never the host's.
    fetch: routerFetch(() => routerTrust(state)),
    globals: new Map(),
    // Made at the first menu command: the router does not exist yet while it is being built.
    menu: (call) => (menus ??= scriptMenus(router(), runStoredScript, hooks))(call),
  };
  let menus: ((call: MenuCall) => Promise<Value>) | undefined;
  async function runStoredScript(reference: string): Promise<void> {
    const rows = state.table(SCRIPT_MENU).rows;
    const id = ID_REFERENCE.test(reference) ? Number.parseInt(reference.slice(1), 16) : undefined;
    const stored = id === undefined ? state.rowNamed(SCRIPT_MENU, reference) : rows.find((row) => row.id === id);
    if (!stored) throw new Error("no such item");
    const job = state.startScriptJob(stored.values.name ?? reference);
    try {
      await runScript(stored.values.source ?? "", {}, host);
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
    runLeaseScript: (source, variables) => reported(() => runScript(source, variables, host)),
    runStored: async (reference) => {
      try {
        await reported(() => runStoredScript(reference));
      } catch (error) {
        if (error instanceof Trap) throw error;
        throw new Trap((error as Error).message, TrapCategory.missingItem);
      }
    },
    runEvent: (onEvent) =>
      reported(() => (state.rowNamed(SCRIPT_MENU, onEvent.trim()) ? runStoredScript(onEvent.trim()) : runScript(onEvent, {}, host))),
  };
}
