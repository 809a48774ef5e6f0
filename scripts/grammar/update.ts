// `npm run grammar:update -- --from DIR`: derives tools/routeros/grammar/<version>.json from the
// full RouterOS command trees in DIR (`inspect-<version>.json`, from `/console/inspect`), keeping
// GRAMMAR_MENUS. Run it when a version is added or the project starts using another menu.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { extractGrammar, formatGrammar, grammarFile, GRAMMAR_VERSIONS, type CommandTree } from "../../tools/routeros/grammar.ts";
import { GRAMMAR_MENUS } from "./menus.ts";

const { values } = parseArgs({ options: { from: { type: "string" } } });
if (!values.from) {
  console.error("usage: npm run grammar:update -- --from DIR   (DIR holds inspect-<version>.json)");
  process.exit(2);
}
for (const version of GRAMMAR_VERSIONS) {
  const source = path.join(values.from, `inspect-${version}.json`);
  const tree = JSON.parse(readFileSync(source, "utf8")) as CommandTree;
  const paths = extractGrammar(tree, GRAMMAR_MENUS);
  writeFileSync(grammarFile(version), formatGrammar({ version, menus: [...GRAMMAR_MENUS], paths }));
  console.log(`${version}: ${Object.keys(paths).length} paths from ${source}`);
}
