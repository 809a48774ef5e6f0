/**
 * What a router's RouterOS offers, judged by the command trees the project checks its commands
 * against (tools/routeros/grammar): a router runs the commands of the newest checked tree at or
 * below its version. Below the oldest checked tree (all of 6.x) nothing is verified, and the plan
 * says so rather than claiming support.
 */
import { GRAMMAR_VERSIONS, loadGrammar, nodeAt, type CommandTree } from "../routeros/grammar.ts";
import { versionAtLeast } from "../routeros/version.ts";

export const OLDEST_CHECKED_VERSION: string = GRAMMAR_VERSIONS[0];

export interface RouterRelease {
  /** The version the router reports (`/system/resource`), or the oldest checked one for an export. */
  version: string;
  /** The checked tree its commands follow; undefined when the router is older than every tree. */
  checkedTree: string | undefined;
}

const trees = new Map<string, CommandTree>();

function treeOf(version: string): CommandTree {
  const cached = trees.get(version);
  if (cached !== undefined) return cached;
  const { tree } = loadGrammar(version);
  trees.set(version, tree);
  return tree;
}

export function routerRelease(version: string): RouterRelease {
  const checkedTree = [...GRAMMAR_VERSIONS].reverse().find((tree) => versionAtLeast(version, tree));
  return { version, checkedTree };
}

/** Whether the release's command `path` (`/tool/fetch`) takes `argument`; a router older than every tree gets the oldest's answer. */
export function releaseTakes(release: RouterRelease, path: string, argument: string): boolean {
  const command = nodeAt(treeOf(release.checkedTree ?? OLDEST_CHECKED_VERSION), path);
  return command?._type === "cmd" && typeof command[argument] === "object";
}

/** The plan's warning for a router whose version no checked tree covers. */
export function unverifiedReleaseWarning(release: RouterRelease): string | undefined {
  if (release.checkedTree !== undefined) return undefined;
  return (
    `RouterOS ${release.version} is not verified: the preloader and its scripts are checked against the command trees of ` +
    `RouterOS ${GRAMMAR_VERSIONS.join(", ")} only (none of 6.x is at hand); upgrade to ${OLDEST_CHECKED_VERSION} or later, or check every step by hand`
  );
}
