/**
 * The RouterOS script interpreter of the emulator: enough of RouterOS's
 * scripting language to run the project's lease-script (see README.md for the
 * subset). Anything outside the subset fails with a ScriptError, never skipped.
 */
import type { Block } from "./ast.ts";
import { evaluate } from "./evaluator.ts";
import type { ScriptHost } from "./host.ts";
import { parse } from "./parser.ts";
import { checkVariables } from "./resolver.ts";
import { tokenize } from "./tokenizer.ts";

export type { Block, Command } from "./ast.ts";
export { ScriptError, type SourcePosition } from "./errors.ts";
export type { CheckCertificate, FetchRequest, FetchResult, LogTopic, MenuCall, ScriptHost } from "./host.ts";
export { NIL, str, toText, type Value } from "./values.ts";
export { httpFetch, routerFetch } from "./http-fetch.ts";

/**
 * Reads and checks the whole script first (so a construct outside the subset
 * or an undeclared variable fails before anything runs), then runs it. Rejects with a ScriptError (category 3)
 * when the script cannot be read or stops on an error it does not catch; the
 * caller decides how to report it (`!trap`, `/log`).
 */
/** Reads a script without running it: its syntax tree, or a ScriptError for what is outside the subset. */
export function parseScript(source: string, fetchArguments?: ReadonlySet<string>): Block {
  return parse(tokenize(source), source, fetchArguments);
}

export async function runScript(source: string, variables: Record<string, string>, host: ScriptHost): Promise<void> {
  const script = parseScript(source, host.fetchArguments);
  checkVariables(script, Object.keys(variables));
  await evaluate(script, variables, host);
}
