import { treeArguments } from "../engine/grammar-commands.ts";
import { rejectUnknown, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { routerFetch } from "../script/http-fetch.ts";
import { OUTPUT_USER_LIMIT, planFetch } from "../script/fetch-command.ts";
import { ScriptError } from "../script/index.ts";
import { NOT_ENOUGH_PERMISSIONS, runAsUser } from "../simulator/script-policy.ts";
import { routerTrust } from "../tls/router-trust.ts";
import type { Caller, MenuAction } from "./command.ts";

/** The arguments the emulator's fetch acts on; the others of the command tree are refused as unsupported. */
const SUPPORTED = ["url", "http-method", "http-header-field", "http-data", "output", "check-certificate", "keep-result", "idle-timeout", "as-value"];

/**
 * `/tool/fetch` over the API, as a router runs it for a client that asks (the preloader's
 * readiness check): the same request, certificate check, clock, idle timeout and limits as a
 * script's fetch, and the same failure words, as a trap. It answers one item with `status`
 * (`finished`), `downloaded` and `total` (KiB), and `data` with `output=user`. The API user
 * needs the `test` policy, as a script does.
 */
export const toolFetch: MenuAction = {
  path: "/tool/fetch",
  argumentsAt: (version) => treeArguments(version, toolFetch.path).filter((name) => SUPPORTED.includes(name)),
  async run(args: Map<string, string>, context: MenuContext, caller: Caller): Promise<CommandReply> {
    rejectUnknown(args, treeArguments(context.version, toolFetch.path));
    const unsupported = [...args.keys()].find((name) => name !== ".id" && !SUPPORTED.includes(name));
    if (unsupported) throw new Trap(`the emulator's fetch does not support ${unsupported}`, TrapCategory.argumentValue);
    if (!runAsUser(context.state, caller.user).policy.has("test")) throw new Trap(NOT_ENOUGH_PERMISSIONS, TrapCategory.general);
    let plan;
    try {
      plan = planFetch({
        url: args.get("url"),
        httpMethod: args.get("http-method"),
        httpHeaderField: args.get("http-header-field"),
        httpData: args.get("http-data"),
        output: args.get("output"),
        checkCertificate: args.get("check-certificate"),
        keepResult: args.get("keep-result"),
        idleTimeout: args.get("idle-timeout"),
        asValue: true,
      });
    } catch (error) {
      if (error instanceof ScriptError) throw new Trap(error.message.replace(/^\/tool fetch:? /, ""), TrapCategory.argumentValue);
      throw error;
    }
    let body: string;
    try {
      ({ body } = await routerFetch(() => routerTrust(context.state))(plan.request));
    } catch (error) {
      throw new Trap((error as Error).message, TrapCategory.general);
    }
    if (plan.returnsBody && Buffer.byteLength(body) > OUTPUT_USER_LIMIT) {
      throw new Trap(`failure: answer larger than ${OUTPUT_USER_LIMIT} bytes for output=user`, TrapCategory.general);
    }
    const kibibytes = String(Math.floor(Buffer.byteLength(body) / 1024));
    return { items: [{ status: "finished", downloaded: kibibytes, total: kibibytes, ...(plan.returnsBody ? { data: body } : {}) }] };
  },
};
