import { GRAMMAR_VERSIONS, loadGrammar, nodeAt, type CommandTree } from "../../routeros/grammar.ts";
import { versionAtLeast } from "../version.ts";

const trees = new Map<string, CommandTree>();

/**
 * RouterOS's command tree for an emulated version: the committed grammar of the newest version
 * not newer than it (the oldest for anything older), so that the commands a menu has come
 * from the trees MikroTik's routers report, not from the emulator's own guess.
 */
export function commandTreeFor(version: string): CommandTree {
  const grammarVersion = [...GRAMMAR_VERSIONS].reverse().find((candidate) => versionAtLeast(version, candidate)) ?? GRAMMAR_VERSIONS[0];
  let tree = trees.get(grammarVersion);
  if (!tree) {
    tree = loadGrammar(grammarVersion).tree;
    trees.set(grammarVersion, tree);
  }
  return tree;
}

/** True when the command tree of this version has `command` under `menuPath`. */
export function treeHasCommand(version: string, menuPath: string, command: string): boolean {
  const node = nodeAt(commandTreeFor(version), `${menuPath}/${command}`);
  return node?._type === "cmd";
}

/** The names directly under `path` in the command tree (menus and commands), for abbreviations. */
export function treeChildren(version: string, path: string): string[] {
  const node = path === "" ? commandTreeFor(version) : nodeAt(commandTreeFor(version), path);
  if (!node) return [];
  return Object.keys(node).filter((name) => {
    const child = node[name];
    return typeof child === "object" && child._type !== "arg";
  });
}

/** The argument names of `command` (a full path, `/tool/fetch`) in the command tree of this version. */
export function treeArguments(version: string, command: string): string[] {
  const node = nodeAt(commandTreeFor(version), command);
  if (!node) return [];
  return Object.keys(node).filter((name) => {
    const child = node[name];
    return typeof child === "object" && child._type === "arg";
  });
}
