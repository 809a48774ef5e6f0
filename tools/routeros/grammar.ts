/**
 * RouterOS's command grammar, as the project needs it: for each supported version, the menus the
 * project sends commands to or emulates, with their commands and each command's argument names,
 * the global commands of scripts (under "/"), and the names of the menus beside and below them.
 * It is derived from the full command trees that real routers report through `/console/inspect`
 * (`npm run grammar:update -- --from DIR`) and committed under `grammar/`, so that tests check
 * commands against the real grammar without the trees, which the repository does not hold.
 *
 * A committed file maps each path to its kind: `"/ip": "path"`, `"/ip/address": "dir"`, and a
 * command to its arguments, `"/ip/address/add": ["address", ...]`. `loadGrammar` gives it back in
 * the trees' own shape (`_type` "path", "dir", "cmd", "arg").
 */
import { readFileSync } from "node:fs";

export interface CommandTree {
  _type?: string;
  [child: string]: CommandTree | string | undefined;
}

/** Path → "path" or "dir" for a menu, or the argument names of a command. */
export type GrammarPaths = Record<string, string | string[]>;

export interface GrammarFile {
  version: string;
  /** The menus kept, e.g. `/ip/hotspot/user`. */
  menus: string[];
  paths: GrammarPaths;
}

export const GRAMMAR_VERSIONS = ["7.12.2", "7.19.6", "7.24"] as const;

function childOf(node: CommandTree | undefined, name: string): CommandTree | undefined {
  const child = node?.[name];
  return typeof child === "object" ? child : undefined;
}

/** The node at `path` (`/ip/address/add`), or undefined. */
export function nodeAt(tree: CommandTree, path: string): CommandTree | undefined {
  return path
    .split("/")
    .filter(Boolean)
    .reduce<CommandTree | undefined>((node, name) => childOf(node, name), tree);
}

/** `tree` cut down to `menus`: the menus leading to each, and each one's commands with their arguments. */
export function extractGrammar(tree: CommandTree, menus: readonly string[]): GrammarPaths {
  const paths: GrammarPaths = {};
  for (const menu of menus) {
    const node = nodeAt(tree, menu);
    if (node === undefined) continue;
    const names = menu.split("/").filter(Boolean);
    names.forEach((_name, index) => {
      const path = `/${names.slice(0, index + 1).join("/")}`;
      paths[path] = nodeAt(tree, path)?._type ?? "dir";
    });
    // Every menu beside and below the ones on the way, so that an abbreviated path
    // (`/sys/sch`) is judged against all the names RouterOS has there.
    names.forEach((_name, index) => addSubmenus(tree, `/${names.slice(0, index).join("/")}`, paths));
    addSubmenus(tree, menu, paths);
    for (const [command, child] of Object.entries(node)) {
      if (typeof child !== "object" || child._type !== "cmd") continue;
      // "/" holds the global commands of scripts (`:foreach` is `/foreach`).
      paths[`${menu === "/" ? "" : menu}/${command}`] = Object.keys(child)
        .filter((name) => childOf(child, name)?._type === "arg")
        .sort();
    }
  }
  return Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((path) => [path, paths[path] ?? "dir"]),
  );
}

function addSubmenus(tree: CommandTree, parent: string, paths: GrammarPaths): void {
  const node = parent === "/" ? tree : nodeAt(tree, parent);
  for (const [name, child] of Object.entries(node ?? {})) {
    if (typeof child === "object" && (child._type === "dir" || child._type === "path"))
      paths[`${parent === "/" ? "" : parent}/${name}`] ??= child._type;
  }
}

/** The grammar in the trees' own shape, for walking it as one walks a tree. */
export function treeOf(paths: GrammarPaths): CommandTree {
  const tree: CommandTree = {};
  for (const [path, kind] of Object.entries(paths)) {
    let node = tree;
    for (const name of path.split("/").filter(Boolean)) {
      const next: CommandTree = childOf(node, name) ?? {};
      node[name] = next;
      node = next;
    }
    if (Array.isArray(kind)) {
      node._type = "cmd";
      for (const arg of kind) node[arg] = { _type: "arg" };
    } else {
      node._type = kind;
    }
  }
  return tree;
}

export function grammarFile(version: string): URL {
  return new URL(`./grammar/${version}.json`, import.meta.url);
}

export function loadGrammar(version: string): { menus: string[]; tree: CommandTree } {
  const file = JSON.parse(readFileSync(grammarFile(version), "utf8")) as GrammarFile;
  return { menus: file.menus, tree: treeOf(file.paths) };
}

/** A grammar file as committed: one path a line, so that a RouterOS change reads as a small diff. */
export function formatGrammar(file: GrammarFile): string {
  const lines = Object.entries(file.paths).map(([path, kind]) => `    ${JSON.stringify(path)}: ${JSON.stringify(kind)}`);
  return `{\n  "version": ${JSON.stringify(file.version)},\n  "menus": ${JSON.stringify(file.menus)},\n  "paths": {\n${lines.join(",\n")}\n  }\n}\n`;
}
