import type { CommandReply, MenuContext } from "../engine/menu-engine.ts";
import type { ScriptRunner } from "../simulator/script-runner.ts";

/** Who runs a command (the API session's user), and the router's script runner. */
export interface Caller {
  user: string;
  scripts: ScriptRunner;
}

/** A menu command with its own behaviour (not add/print/set/remove), as RouterOS names it. */
export interface MenuAction {
  /** `/certificate/import`. */
  path: string;
  /** The arguments the command takes at this version (checked against the command trees). */
  argumentsAt(version: string): string[];
  run(args: Map<string, string>, context: MenuContext, caller: Caller): CommandReply | Promise<CommandReply>;
}
