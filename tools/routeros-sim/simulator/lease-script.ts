import type { RouterState } from "../engine/state.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { httpFetch, runScript, ScriptError, type ScriptHost } from "../script/index.ts";
import type { LeaseScriptRunner } from "./dhcp.ts";

/**
 * Runs lease-scripts in the emulator's script interpreter. `:log` lines (and `:put` output,
 * which has no console to go to) land in `/log` under the `script` topic; a script error is
 * logged as `script,error` and becomes a category 3 trap.
 */
export function interpreterRunner(state: RouterState): LeaseScriptRunner {
  const host: ScriptHost = {
    log: (topic, message) => state.log(`script,${topic}`, message),
    put: (text) => state.log("script,info", text),
    fetch: httpFetch,
    globals: new Map(),
  };
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
