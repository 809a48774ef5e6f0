/** `npm run setup` gets Odoo 19.0 itself (scripts/odoo/fetch-odoo.sh), from a local repository here. */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../scripts/odoo/fetch-odoo.sh", import.meta.url));

function fetchOdoo(target: string, env: Record<string, string>): { status: number | null; stderr: string; seconds: number } {
  const started = performance.now();
  const run = spawnSync("bash", [SCRIPT, target], { env: { ...process.env, ...env }, encoding: "utf8" });
  return { status: run.status, stderr: run.stderr, seconds: (performance.now() - started) / 1000 };
}

describe("getting Odoo 19.0 during set-up", () => {
  let work: string;
  let repository: string;
  let silent: Server;
  let silentPort: number;
  before(async () => {
    work = mkdtempSync(path.join(tmpdir(), "isp-fetch-odoo-"));
    repository = path.join(work, "odoo");
    const git = (...args: string[]) => execFileSync("git", ["-C", repository, ...args], { stdio: "ignore" });
    execFileSync("git", ["init", "--quiet", "--initial-branch", "19.0", repository]);
    writeFileSync(path.join(repository, "odoo-bin"), "#!/usr/bin/env python3\n");
    git("add", "odoo-bin");
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "19.0");
    // A server that accepts and never answers, as a network that swallows connections does.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => silent.close(() => resolve())));

  it("clones the 19.0 branch from the repository ODOO_GIT_URL names", () => {
    const target = path.join(work, "cache", "odoo-19.0");
    const run = fetchOdoo(target, { ODOO_GIT_URL: repository });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(path.join(target, "odoo-bin")));
    assert.match(run.stderr, /setup: Odoo 19\.0 is at /);
  });

  it("says in one line, within the timeout, that a repository it cannot reach gives no Odoo", () => {
    for (const url of [path.join(work, "missing"), `http://127.0.0.1:${silentPort}/odoo.git`]) {
      const target = path.join(work, "unreached");
      const run = fetchOdoo(target, { ODOO_GIT_URL: url, ODOO_GIT_TIMEOUT: "2" });
      assert.equal(run.status, 0, "set-up goes on without Odoo");
      assert.ok(run.seconds < 10, `took ${run.seconds} s`);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
      assert.match(run.stderr, /^setup: Odoo 19\.0 could not be reached at .* within 2 s: put an Odoo 19\.0 tree at \/opt\/odoo or set ODOO_HOME/);
      assert.equal(existsSync(target), false);
    }
  });
});
