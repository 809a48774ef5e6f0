import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { argumentsOf, commandsOf } from "../../tools/routeros-sim/engine/menu-engine.ts";
import { MENUS } from "../../tools/routeros-sim/menus/index.ts";

/** RouterOS's own command trees live beside the project, in `shared/routeros/` (never copied in). */
const TREES = fileURLToPath(new URL("../../../shared/routeros/", import.meta.url));
const VERSIONS = ["7.12.2", "7.19.6", "7.24"];

interface InspectNode {
  _type?: string;
  [child: string]: InspectNode | string | undefined;
}

function child(node: InspectNode, name: string): InspectNode | undefined {
  const value = node[name];
  return typeof value === "object" ? value : undefined;
}

function childrenOfType(node: InspectNode, type: string): string[] {
  return Object.keys(node).filter((name) => child(node, name)?._type === type);
}

for (const version of VERSIONS) {
  describe(`emulated menus agree with RouterOS ${version}'s command tree`, () => {
    const tree = JSON.parse(readFileSync(`${TREES}inspect-${version}.json`, "utf8")) as InspectNode;

    for (const menu of MENUS) {
      test(menu.path, () => {
        const directory = menu.path.split("/").filter(Boolean).reduce<InspectNode | undefined>((node, name) => node && child(node, name), tree);
        // Top-level menus such as /interface are typed "path", the ones below them "dir".
        assert.ok(directory?._type === "dir" || directory?._type === "path", `${menu.path} is not a menu in ${version}`);
        for (const command of commandsOf(menu)) {
          const real = child(directory, command);
          assert.ok(real?._type === "cmd", `${menu.path}/${command} does not exist in ${version}`);
          const realArguments = new Set(childrenOfType(real, "arg"));
          const unknown = argumentsOf(menu, command, version).filter((name) => !realArguments.has(name));
          assert.deepEqual(unknown, [], `${menu.path}/${command} accepts arguments ${version} does not have`);
        }
      });
    }
  });
}
