// `npm run i18n:export`: regenerates isp_core/i18n/isp_core.pot with Odoo's own exporter (the terms of
// Python `_()`, fields, views, menus, data records, and the `_t`/template strings of static/src),
// from a scratch database where isp_core is installed without demo data. Then it merges the new
// template into every isp_core/i18n/*.po: new terms arrive with an empty msgstr for a translator,
// and terms the code dropped are removed. The Odoo test test_translations.py fails until every
// term of es.po is translated.
//
// Merging needs msgmerge and msgattrib (Debian package gettext); Odoo never needs them at run time.
// Fuzzy matching stays off because Odoo would show a fuzzy guess to users as a real translation.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { dropDatabase, ensurePostgres, findOdooHome, REPO_ROOT, spawnOdoo } from "./odoo/environment.mjs";

const MODULE = "isp_core";
const I18N_DIR = path.join(REPO_ROOT, MODULE, "i18n");
const TEMPLATE = path.join(I18N_DIR, `${MODULE}.pot`);
const DATABASE = `i18n_export_${process.pid}`;

function runOdoo(odooHome, args) {
  return new Promise((resolve, reject) => {
    const odoo = spawnOdoo(odooHome, args, { stdio: ["ignore", "inherit", "inherit"] });
    odoo.on("error", reject);
    odoo.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`odoo-bin ${args.join(" ")} exited with ${code}`))));
  });
}

function hasCommand(command) {
  try {
    execFileSync(command, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function mergeTemplateInto(poPath) {
  const merged = execFileSync("msgmerge", ["--quiet", "--no-fuzzy-matching", poPath, TEMPLATE, "-o", "-"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync("msgattrib", ["--no-obsolete", "-o", poPath, "-"], { input: merged });
  // msgfmt prints its counts ("N translated messages, M untranslated messages.") on stderr.
  const check = spawnSync("msgfmt", ["--check-format", "--statistics", "-o", "/dev/null", poPath], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`${path.basename(poPath)} is not a valid catalog:\n${check.stderr}`);
  return check.stderr.trim();
}

const odooHome = findOdooHome();
if (!odooHome) {
  console.error(`Odoo 19 was not found at ${process.env.ODOO_HOME || "/opt/odoo"}; set ODOO_HOME to the folder that holds odoo-bin.`);
  process.exit(1);
}

ensurePostgres();
dropDatabase(DATABASE);
try {
  console.error(`Installing ${MODULE} into the scratch database ${DATABASE}...`);
  await runOdoo(odooHome, ["-d", DATABASE, "-i", MODULE, "--without-demo", "--stop-after-init", "--no-http", "--max-cron-threads=0", "--log-level=warn"]);
  await runOdoo(odooHome, ["i18n", "export", "-d", DATABASE, MODULE, "-o", TEMPLATE]);
} finally {
  dropDatabase(DATABASE);
}
console.log(`wrote ${path.relative(REPO_ROOT, TEMPLATE)}`);

const translations = readdirSync(I18N_DIR).filter((name) => name.endsWith(".po"));
if (!hasCommand("msgmerge") || !hasCommand("msgattrib")) {
  console.error(`msgmerge was not found (apt-get install gettext): ${translations.join(", ")} were not merged.`);
  process.exit(1);
}
for (const name of translations) {
  console.log(`merged ${name}: ${mergeTemplateInto(path.join(I18N_DIR, name))}`);
}
