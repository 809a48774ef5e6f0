import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { GRAMMAR_VERSIONS, loadGrammar, nodeAt, type CommandTree } from "../../tools/routeros/grammar.ts";
import { MENU_ACTIONS } from "../../tools/routeros-emulator/commands/index.ts";
import { argumentsOf, commandsOf } from "../../tools/routeros-emulator/engine/menu-engine.ts";
import { MENUS } from "../../tools/routeros-emulator/menus/index.ts";

function childrenOfType(node: CommandTree, type: string): string[] {
  return Object.keys(node).filter((name) => {
    const child = node[name];
    return typeof child === "object" && child._type === type;
  });
}

for (const version of GRAMMAR_VERSIONS) {
  describe(`emulated menus agree with RouterOS ${version}'s grammar`, () => {
    const { tree } = loadGrammar(version);

    for (const menu of MENUS) {
      test(menu.path, () => {
        const directory = nodeAt(tree, menu.path);
        // Top-level menus such as /interface are typed "path", the ones below them "dir".
        assert.ok(directory?._type === "dir" || directory?._type === "path", `${menu.path} is not a menu in ${version}`);
        for (const command of commandsOf(menu, version)) {
          const real = nodeAt(directory, command);
          assert.ok(real?._type === "cmd", `${menu.path}/${command} does not exist in ${version}`);
          const realArguments = new Set(childrenOfType(real, "arg"));
          const unknown = argumentsOf(menu, command, version).filter((name) => !realArguments.has(name));
          assert.deepEqual(unknown, [], `${menu.path}/${command} accepts arguments ${version} does not have`);
        }
      });
    }
  });
}

for (const version of GRAMMAR_VERSIONS) {
  describe(`emulated menu actions agree with RouterOS ${version}'s grammar`, () => {
    const { tree } = loadGrammar(version);
    for (const action of MENU_ACTIONS.values()) {
      test(action.path, () => {
        const real = nodeAt(tree, action.path);
        assert.ok(real?._type === "cmd", `${action.path} does not exist in ${version}`);
        const realArguments = new Set(childrenOfType(real, "arg"));
        const unknown = action.argumentsAt(version).filter((name) => !realArguments.has(name));
        assert.deepEqual(unknown, [], `${action.path} accepts arguments ${version} does not have`);
      });
    }
  });
}
