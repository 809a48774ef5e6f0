import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { EXIT_CODES } from "../../tools/mikrotik_preloader/errors.ts";
import { Reporter } from "../../tools/mikrotik_preloader/reporter.ts";
import { startFakeOdoo, type FakeOdoo } from "./fake-odoo.ts";
import { adminClient, MGMT_PASSWORD, runCli, secretEnv, startRouter, testConfig, writeConfig } from "./harness.ts";

/** A loopback port that nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A child's exit status and output, without blocking this process's event loop. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => void (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const BIN = fileURLToPath(new URL("../../tools/mikrotik_preloader/bin/isp-preloader.mjs", import.meta.url));
const PYTHON_ENTRY = fileURLToPath(new URL("../../tools/mikrotik_preloader/preloader.py", import.meta.url));

describe("cli", () => {
  let odoo: FakeOdoo;
  before(async () => {
    odoo = await startFakeOdoo();
  });
  after(() => odoo.close());

  it("the isp-preloader bin prints the complete help", () => {
    const result = spawnSync(BIN, ["--help"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    for (const expected of [
      "--config FILE",
      "--dry-run",
      "--export-rsc FILE",
      "MIKROTIK_MGMT_PASS",
      "ODOO_API_KEY",
      "ODOO_ADMIN_PASS",
      "ISP_ALLOWED_MGMT_IPS",
      "--detailed-exitcode",
      "Exit codes (without --detailed-exitcode):",
    ]) {
      assert.ok(result.stdout.includes(expected), `--help mentions ${expected}`);
    }
    for (const code of Object.values(EXIT_CODES)) assert.match(result.stdout, new RegExp(`^ {2}${code} {2}\\S`, "m"));
  });

  it("refuses an unknown option and a missing --config as config errors", async () => {
    const unknown = await runCli(["--config", "x.yaml", "--dryrun"], {});
    assert.equal(unknown.code, EXIT_CODES.config);
    assert.match(unknown.stderr, /error: Unknown option '--dryrun'/);
    const missing = await runCli([], {});
    assert.equal(missing.code, EXIT_CODES.config);
    assert.match(missing.stderr, /error: --config FILE is required/);
  });

  it("names the missing secrets before touching any router", async () => {
    const file = await writeConfig(testConfig(odoo, 1, "127.0.0.1/32"));
    const result = await runCli(["--config", file], { MIKROTIK_MGMT_PASS: MGMT_PASSWORD });
    assert.equal(result.code, EXIT_CODES.config);
    assert.match(result.stderr, /error: missing environment variable\(s\): ODOO_API_KEY or ODOO_ADMIN_PASS\n$/);
  });

  it("exports the configuration as a RouterOS script with placeholders, not secrets", async () => {
    const file = await writeConfig(testConfig(odoo, 8728, "127.0.0.1/32"));
    const target = `${file}.rsc`;
    const result = await runCli(["--config", file, "--export-rsc", target], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.ok, result.stderr);
    const script = await readFile(target, "utf8");
    for (const line of [
      "/system identity set name=SEC-001-los_cacaos-1",
      '/user add name=isp-core group=full comment=isp_core:mgmt-user password="{{MIKROTIK_MGMT_PASS}}"',
      "/interface bridge port add bridge=bridge-isp interface=sfp1 comment=isp_core:lan-port:sfp1",
      "/ip firewall filter add chain=forward src-address-list=isp_suspended action=drop comment=isp_core:suspended-drop",
      "/ip service set [find name=api] address=127.0.0.1/32,203.0.113.7/32",
    ]) {
      assert.ok(script.includes(`\n${line}\n`), `script has: ${line}`);
    }
    const drop = "/ip firewall filter add chain=forward src-address-list=isp_suspended action=drop comment=isp_core:suspended-drop";
    assert.ok(
      script.includes(
        `\n:if ([:len [/ip firewall filter find dynamic=no]] = 0) do={\n${drop}\n} else={\n${drop} place-before=[:pick [/ip firewall filter find dynamic=no] 0]\n}\n`,
      ),
      "the drop rule goes above the router's first static filter rule, as the preloader places it",
    );
    // Pasted on a router that has a rule of its own, the firewall step leaves the rules in the
    // order the preloader places them: DNS and Odoo for suspended customers, then their drop.
    const firewall = script.slice(script.indexOf("\n# firewall\n"), script.indexOf("\n# api service\n"));
    const router = await startRouter();
    const client = await adminClient(router);
    try {
      await client.add("/ip/firewall/filter", { chain: "forward", action: "accept", comment: "installer rule" });
      await client.add("/system/script", { name: "pasted", source: firewall });
      await client.command("/system/script/run", { number: "pasted" });
      assert.deepEqual(
        (await client.print("/ip/firewall/filter")).map((rule) => rule.comment),
        ["isp_core:suspended-dns-udp", "isp_core:suspended-dns-tcp", "isp_core:suspended-odoo", "isp_core:suspended-drop", "installer rule"],
      );
      assert.deepEqual(
        (await client.print("/ip/proxy/access")).map((rule) => rule.action),
        ["deny"],
      );
    } finally {
      await client.close();
      await router.close();
    }
    assert.match(script, /X-ISP-Token: \{\{ISP_MAC_TOKEN\}\}/);
    assert.ok(script.includes("\n/ip service set [find name=api-ssl] address=127.0.0.1/32,203.0.113.7/32\n"));
    assert.ok(script.trimEnd().endsWith("/ip service set [find name=ftp] address=127.0.0.1/32,203.0.113.7/32"), "the lockdown comes last");
    for (const secret of [MGMT_PASSWORD, odoo.apiKey]) assert.ok(!script.includes(secret));
  });

  it("exits with the Odoo code when Odoo cannot be reached, before touching a router", async () => {
    const port = await closedPort();
    const config = testConfig(odoo, 1, "127.0.0.1/32");
    const file = await writeConfig({ ...config, odoo: { url: `http://127.0.0.1:${port}/`, database: "isp" } });
    const result = await runCli(["--config", file], secretEnv(odoo));
    assert.equal(result.code, EXIT_CODES.odoo);
    // It names the config key that holds the URL.
    assert.match(
      result.stderr.split("\n").at(-2) ?? "",
      new RegExp(`^error: cannot reach Odoo at http://127\\.0\\.0\\.1:${port} \\(odoo\\.url \\(line \\d+\\)\\): ECONNREFUSED$`),
    );
    assert.ok(!result.stderr.includes("discovery:"));
  });

  it("gives Odoo the router's address from odoo_hosts in the tunnel case", async () => {
    const router = await startRouter();
    try {
      const config = testConfig(odoo, router.port, "127.0.0.1/32");
      const routeros = { ...(config.routeros as object), odoo_hosts: { "127.0.0.1": "10.10.0.1" } };
      const result = await runCli(["--config", await writeConfig({ ...config, routeros }), "--dry-run"], secretEnv(odoo));
      assert.equal(result.code, EXIT_CODES.ok, result.stderr);
      assert.match(result.stdout, /\+ odoo isp\.router SEC-001-los_cacaos-1 active=true host=10\.10\.0\.1 /);
    } finally {
      await router.close();
    }
  });

  it("configures a router over TLS", async () => {
    const router = await startRouter({ tlsPort: 0 });
    try {
      const file = await writeConfig(
        testConfig(odoo, router.tlsPort ?? 0, "127.0.0.1/32", {
          routeros: { api_port: router.tlsPort, use_tls: true, allowed_mgmt_ips: ["127.0.0.1"] },
        }),
      );
      const result = await runCli(["--config", file], secretEnv(odoo));
      assert.equal(result.code, EXIT_CODES.ok, result.stderr);
      assert.match(result.stdout, /done: 1 router\(s\) configured/);
      assert.equal(odoo.routers.at(-1)?.use_tls, true);
    } finally {
      await router.close();
    }
  });
});

describe("the reporter's masking", () => {
  it("masks a secret as a whole value only, the longest first", () => {
    let printed = "";
    const reporter = new Reporter({ write: (text) => void (printed += text) }, { write: (text) => void (printed += text) });
    reporter.hide(["admin", "admin-2026.x"]);
    reporter.progress("router found (logged in as admin); anyone who reaches it can administer it");
    reporter.result("password=admin-2026.x, user admin_backup, key [admin]");
    assert.equal(
      printed,
      "router found (logged in as <secret>); anyone who reaches it can administer it\npassword=<secret>, user admin_backup, key [<secret>]\n",
    );
  });
});

describe("tools/mikrotik_preloader/preloader.py", () => {
  it("passes arguments, environment and exit code to the preloader unchanged, with python3 and with python-is-python3's python", async () => {
    // Debian's python-is-python3 is one symbolic link, /usr/bin/python -> python3.
    const withPython = await mkdtemp(join(tmpdir(), "python-is-python3-"));
    await symlink("/usr/bin/python3", join(withPython, "python"));
    const path = `${withPython}:${process.env.PATH ?? ""}`;
    const odoo = await startFakeOdoo();
    try {
      const configFile = await writeConfig(testConfig(odoo, await closedPort(), "127.0.0.1/32"));
      const oddName = "a file's name with spaces, quotes \" and ñ.yaml";
      const runs: [string, string[], Record<string, string>, number][] = [
        ["/usr/bin/python3", ["--config", oddName], { PATH: path }, EXIT_CODES.config],
        ["/usr/bin/python3", ["--help"], { PATH: path }, EXIT_CODES.ok],
        // The secrets reach the preloader (it logs in to Odoo), which then finds no router.
        ["python", ["--config", configFile, "--dry-run"], { PATH: path, ...secretEnv(odoo) }, EXIT_CODES.unreachable],
      ];
      // Every child at once, and none blocking this process: the fake Odoo they call lives here.
      const results = await Promise.all(
        runs.map(async ([interpreter, args, env]) => {
          const [direct, viaPython] = await Promise.all([run(BIN, args, env), run(interpreter, [PYTHON_ENTRY, ...args], env)]);
          return { direct, viaPython };
        }),
      );
      runs.forEach(([interpreter, args, , code], index) => {
        const { direct, viaPython } = results[index]!;
        assert.equal(viaPython.status, code, `${interpreter} ${args.join(" ")}: ${viaPython.stderr}`);
        assert.deepEqual([viaPython.status, viaPython.stdout, viaPython.stderr], [direct.status, direct.stdout, direct.stderr]);
      });
      assert.match(results[0]!.viaPython.stderr, /a file's name with spaces, quotes " and ñ\.yaml/);
    } finally {
      await odoo.close();
    }
  });
});
