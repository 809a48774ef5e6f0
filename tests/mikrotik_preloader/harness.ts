/** Shared set-up for the preloader's tests: emulated routers, a fake Odoo, configs, and a captured CLI run. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { main } from "../../tools/mikrotik_preloader/cli.ts";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator, type RunningEmulator, type EmulatorOptions } from "../../tools/routeros-emulator/index.ts";
import type { FakeOdoo } from "./fake-odoo.ts";

export const MGMT_PASSWORD = "mgmt-pass-Secret-4711";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, env, { write: (text) => void (stdout += text) }, { write: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

export function secretEnv(odoo: FakeOdoo, extra: Record<string, string> = {}): Record<string, string> {
  return { MIKROTIK_MGMT_PASS: MGMT_PASSWORD, ODOO_API_KEY: odoo.apiKey, ...extra };
}

/** The example config's shape, pointed at loopback routers and the fake Odoo. */
export function testConfig(odoo: FakeOdoo, apiPort: number, subnet: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    wan_interface: "ether1",
    lan_ports: ["sfp1", "ether2"],
    hotspot_dns_name: "portal.getupsoft.com.do",
    mgmt_subnet: subnet,
    routeros: { api_port: apiPort, allowed_mgmt_ips: ["127.0.0.1/32", "203.0.113.7"], probe_timeout_ms: 2000 },
    sector: { code: "SEC-001-los_cacaos", name: "Los Cacaos" },
    lan: { address: "10.10.0.1/24", pool_range: "10.10.0.10-10.10.0.250", dns_servers: ["1.1.1.1", "8.8.8.8"] },
    odoo: { url: odoo.url, database: odoo.database, check_certificate: false },
    ...overrides,
  };
}

export async function writeConfig(config: Record<string, unknown> | string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "isp-preloader-"));
  const file = join(directory, "config.yaml");
  await writeFile(file, typeof config === "string" ? config : stringify(config));
  return file;
}

export async function startRouter(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ host: "127.0.0.1", port: 0, ...options });
}

/** A client on the emulator as its factory admin, to arrange or inspect a router in a test. */
export async function adminClient(router: RunningEmulator, password = ""): Promise<RouterOsClient> {
  return RouterOsClient.connect({ host: router.host, port: router.port, user: "admin", password });
}

/** The 1-based line of `text` that holds `needle` (0 when none does), as config error messages cite it. */
export function lineOf(text: string, needle: string): number {
  return text.split("\n").findIndex((line) => line.includes(needle)) + 1;
}
