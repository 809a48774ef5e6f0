import type { RouterState } from "../engine/state.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import type { Router } from "../router.ts";
import { routerFetch, runScript, ScriptError, type MenuCall, type ScriptHost, type Value } from "../script/index.ts";
import { routerTrust } from "../tls/router-trust.ts";
import type { LeaseScriptRunner } from "./dhcp.ts";
import { scriptMenus } from "./script-menus.ts";

const SCRIPT_MENU = "/system/script";

/**
 * Runs scripts in the emulator's script interpreter: the lease-scripts, the stored scripts they
 * or the scheduler run, with the menus of `router` (a function, since the router is built with
 * this runner). `:log` lines (and `:put` output, which has no console to go to) land in `/log`
 * under the `script` topic; a script error is logged as `script,error` and becomes a category 3
 * trap. The host, and so the `:global` variables, are shared by every script of the router.
 */
export function interpreterRunner(state: RouterState, router: () => Router): LeaseScriptRunner {
  const host: ScriptHost = {
    log: (topic, message) => state.log(`script,${topic}`, message),
    put: (text) => state.log("script,info", text),
    // The router's fetch trusts its own certificate store and clock, never the host's.
    fetch: routerFetch(() => routerTrust(state)),
    globals: new Map(),
    // Made at the first menu command: the router does not exist yet while it is being built.
    menu: (call) => (menus ??= scriptMenus(router(), runStored))(call),
  };
  let menus: ((call: MenuCall) => Promise<Value>) | undefined;
  async function runStored(name: string): Promise<void> {
    const stored = state.rowNamed(SCRIPT_MENU, name);
    if (!stored) throw new Error("no such item");
    const job = state.startScriptJob(name);
    try {
      await runScript(stored.values.source ?? "", {}, host);
    } finally {
      state.endScriptJob(job);
    }
  }
  return async (source, variables) => {
    try {
      await runScript(source, variables, host);
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      state.log("script,error", error.message);
      throw new Trap(error.message, TrapCategory.scripting);
    }
  };
}
