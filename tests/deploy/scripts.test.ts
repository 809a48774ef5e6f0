// deploy/'s shell scripts refuse bad arguments with a message that names the argument, before
// they touch anything (the production tests run them for real: tests/deploy/*.odoo-test.mjs).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";

const DEPLOY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../deploy");

function run(script: string, args: string[]): { status: number | null; stderr: string } {
  const { status, stderr } = spawnSync("bash", [path.join(DEPLOY, script), ...args], { encoding: "utf8" });
  return { status, stderr };
}

it("install.sh names a missing domain, certificate or key before it installs anything", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "isp-install-args-"));
  const cert = path.join(folder, "site.pem");
  writeFileSync(cert, "");
  for (const [args, named] of [
    [["--cert", cert, "--key", cert], "--domain is required"],
    [["--domain", "isp.example.com", "--cert", path.join(folder, "none.pem"), "--key", cert], "--cert: no readable certificate"],
    [["--domain", "isp.example.com", "--cert", cert, "--key", path.join(folder, "none.key")], "--key: no readable private key"],
    [["--domain", "isp.example.com", "--colour", "blue"], "unknown argument --colour"],
  ] as const) {
    const { status, stderr } = run("install.sh", [...args]);
    assert.equal(status, 2, stderr);
    assert.match(stderr, new RegExp(named.replace(/[-]/g, "\\-")));
  }
});

it("install.sh refuses a bad database, domain, Odoo folder, retention or cron thread count, naming it, before it installs anything", () => {
  // The certificate does not exist either: were a value let through, install.sh would stop at the
  // certificate, still before it installs anything, and this test would fail on the message.
  const missing = path.join(mkdtempSync(path.join(tmpdir(), "isp-install-values-")), "none.pem");
  const base = ["--domain", "isp.example.com", "--cert", missing, "--key", missing];
  for (const [args, named] of [
    [["--database", "isp; drop"], "--database: 'isp; drop' is not a plain database name"],
    [["--domain", "isp example.com"], "--domain: 'isp example.com' is not a host name"],
    [["--odoo-home", "opt/odoo"], "--odoo-home: 'opt/odoo' is not an absolute path"],
    [["--backup-days", "0"], "--backup-days: '0' is not a whole number of days, 1 or more"],
    [["--backup-days", "two"], "--backup-days: 'two' is not a whole number of days, 1 or more"],
    [["--cron-threads", "-1"], "--cron-threads: '-1' is not a whole number"],
  ] as const) {
    const { status, stderr } = run("install.sh", [...base, ...args]);
    assert.equal(status, 2, stderr);
    assert.ok(stderr.includes(`install.sh: ${named}`), `${args.join(" ")}: ${stderr}`);
  }
});

it("backup.sh and restore.sh name the argument at fault and write nothing", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "isp-backup-args-"));
  const cases: [string, string[], number, RegExp][] = [
    ["backup.sh", ["--data-dir", folder, "--to", folder], 2, /--database is required/],
    ["backup.sh", ["--database", "isp; drop", "--data-dir", folder, "--to", folder], 2, /--database: isp; drop is not a plain database name/],
    ["backup.sh", ["--database", "isp", "--data-dir", folder, "--to", folder, "--keep-days", "0"], 2, /--keep-days must be a whole number/],
    ["restore.sh", ["--from", folder, "--database", "isp", "--data-dir", folder], 1, /--from: .* is not a backup/],
    ["restore.sh", ["--from", folder, "--database", "isp", "--data-dir", folder, "--force"], 2, /unknown argument --force/],
  ];
  for (const [script, args, code, message] of cases) {
    const { status, stderr } = run(script, args);
    assert.equal(status, code, `${script} ${args.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
  }
  assert.deepEqual(readdirSync(folder), []);
});

it("restore.sh refuses a damaged backup", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "isp-restore-damaged-"));
  writeFileSync(path.join(folder, "database.dump"), "a dump");
  writeFileSync(path.join(folder, "SHA256SUMS"), `${"0".repeat(64)}  database.dump\n`);
  const { status, stderr } = run("restore.sh", ["--from", folder, "--database", "isp", "--data-dir", folder]);
  assert.equal(status, 1);
  assert.match(stderr, /is damaged \(checksums differ\)/);
});
