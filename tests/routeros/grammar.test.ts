/**
 * The committed RouterOS grammar (tools/routeros/grammar) covers every menu the project uses, in
 * every supported version; where RouterOS's full command trees sit beside the repository
 * (`../shared/routeros/`), it must still be what `npm run grammar:update` derives from them.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { extractGrammar, formatGrammar, grammarFile, GRAMMAR_VERSIONS, type CommandTree, type GrammarFile } from "../../tools/routeros/grammar.ts";
import { GRAMMAR_MENUS } from "../../scripts/grammar/menus.ts";

const TREES = new URL("../../../shared/routeros/", import.meta.url);

describe("the committed RouterOS grammar", () => {
  for (const version of GRAMMAR_VERSIONS) {
    it(`${version} holds every menu the project uses, each with its commands`, () => {
      const committed = JSON.parse(readFileSync(grammarFile(version), "utf8")) as { menus: string[]; paths: Record<string, unknown> };
      assert.deepEqual(committed.menus, [...GRAMMAR_MENUS], "the project uses other menus now: npm run grammar:update -- --from DIR");
      for (const menu of GRAMMAR_MENUS) {
        // "/" is the root, which holds the global commands only.
        const prefix = menu === "/" ? "/" : `${menu}/`;
        if (menu !== "/") assert.ok(committed.paths[menu] === "dir" || committed.paths[menu] === "path", `${menu} is missing from ${version}`);
        const commands = Object.entries(committed.paths).filter(([path, kind]) => path.startsWith(prefix) && Array.isArray(kind));
        assert.ok(commands.length > 0, `${menu} has no command in ${version}`);
      }
    });

    // A user's clone has no full trees: there the file is still checked for the form the
    // derivation writes (paths sorted, one per line), which a hand edit rarely keeps.
    const tree = new URL(`inspect-${version}.json`, TREES);
    const treePresent = existsSync(tree);
    it(`${version} is in the form grammar:update writes${treePresent ? ", and still what RouterOS's full command tree gives" : ""}`, () => {
      const text = readFileSync(grammarFile(version), "utf8");
      const committed = JSON.parse(text) as GrammarFile;
      assert.equal(committed.version, version);
      const paths = Object.keys(committed.paths);
      assert.deepEqual(paths, [...paths].sort(), "paths in the derivation's order");
      assert.equal(text, formatGrammar(committed), "written as formatGrammar writes it");
      if (treePresent) {
        const derived = extractGrammar(JSON.parse(readFileSync(tree, "utf8")) as CommandTree, GRAMMAR_MENUS);
        assert.equal(text, formatGrammar({ version, menus: [...GRAMMAR_MENUS], paths: derived }));
      }
    });
  }
});
