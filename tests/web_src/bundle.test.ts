// The committed bundle as Odoo's asset pipeline will read it: its regex transpiler only rewrites
// imports that start a line and are spelled `import { ... } from "..."`, and only scopes `_t` to
// the addon when it is imported under that name.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const lines = readFileSync(new URL("../../isp_core/static/src/isp_core_ui.js", import.meta.url), "utf8").split("\n");
const ODOO_IMPORT = /^import \{ [\w$, ]+ \} from "(@odoo\/owl|@web\/[\w/]+|@bus\/[\w/]+|@mail\/[\w/]+)";$/;

test("the bundle says it is generated", () => {
  assert.match(lines[0]!, /^\/\/ generated .*do not edit$/);
});

test("every import is one line the transpiler understands, from Odoo only", () => {
  const imports = lines.filter((line) => line.startsWith("import"));
  assert.ok(imports.length > 0);
  for (const line of imports) assert.match(line, ODOO_IMPORT);
  const elsewhere = lines.filter((line) => !line.startsWith("import") && /\bimport\s*[{*(]|^\s*export\b/.test(line));
  assert.deepEqual(elsewhere, []);
});

test("_t keeps its name and luxon comes from Odoo's global", () => {
  assert.ok(lines.includes('import { _t } from "@web/core/l10n/translation";'));
  const code = lines.join("\n");
  assert.ok(code.includes("globalThis.luxon.DateTime"));
  assert.ok(!code.includes('from "luxon"'));
});
