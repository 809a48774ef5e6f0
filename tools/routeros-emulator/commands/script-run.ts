import { rejectUnknown, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { runAsUser } from "../simulator/script-policy.ts";
import { versionAtLeast } from "../version.ts";
import type { Caller, MenuAction } from "./command.ts";

/**
 * `/system/script/run =number=<name or .id>` over the API (the command trees: `number`, and
 * `use-script-permissions` from 7.19.6). It answers once the script has run; a script error is
 * a category 3 trap, as for a lease-script. The API user must hold the script's policies
 * (see simulator/script-policy.ts).
 */
export const scriptRun: MenuAction = {
  path: "/system/script/run",
  argumentsAt: (version) => ["number", ...(versionAtLeast(version, "7.19") ? ["use-script-permissions"] : [])],
  async run(args: Map<string, string>, context: MenuContext, caller: Caller): Promise<CommandReply> {
    rejectUnknown(args, scriptRun.argumentsAt(context.version));
    const reference = args.get("number") ?? args.get(".id");
    if (reference === undefined || reference === "") throw new Trap("missing value(s) of argument(s) number", TrapCategory.argumentValue);
    await caller.scripts.runStored(reference, runAsUser(context.state, caller.user));
    return { items: [] };
  },
};
