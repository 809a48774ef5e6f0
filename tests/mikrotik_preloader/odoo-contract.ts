/**
 * What Odoo 19 answers to the calls the preloader makes, and to the near misses around them
 * (a `create` whose values come by name over `/jsonrpc`, a wrong password or API key, ids given
 * to an `@api.model` method). One table, checked two ways: `fake-odoo.test.ts` holds the fake
 * Odoo to it, and the Odoo suite (`isp_core/tests/test_preloader.py`) holds a real Odoo 19 to it
 * by running this file as a command. A fake that answers as the table says therefore answers as
 * the real Odoo does.
 *
 *   node --import tsx tests/mikrotik_preloader/odoo-contract.ts --url URL --database DB --login LOGIN
 *   (with ODOO_ADMIN_PASS and ODOO_API_KEY set); exits 1 and names each probe that differs.
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

export interface OdooTarget {
  url: string;
  database: string;
  login: string;
  password: string;
  apiKey: string;
}

/** An answer reduced to what the preloader depends on: the HTTP status, and the result's shape or the error's Python class. */
export interface Answer {
  status: number;
  outcome: string;
}

interface Probe {
  name: string;
  expected: Answer;
  send(target: OdooTarget, context: ProbeContext): Promise<Answer>;
}

/** What earlier probes learnt: the uid of the login, a sector to write to, and a router in agent mode. */
interface ProbeContext {
  uid: number;
  sectorId: number;
  routerId: number;
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) {
    const kinds = [...new Set(value.map((item) => (item !== null && typeof item === "object" ? "object" : typeof item)))];
    return `${kinds.join("|")}[]`;
  }
  if (typeof value === "boolean") return String(value);
  return value === null ? "null" : typeof value;
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; payload: unknown }> {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, payload: text ? (JSON.parse(text) as unknown) : null };
}

/** A `/jsonrpc` call's answer, with the result kept for probes that need it later. */
async function jsonRpc(target: OdooTarget, service: string, method: string, args: unknown[]): Promise<Answer & { result?: unknown }> {
  const { status, payload } = await post(
    `${target.url}/jsonrpc`,
    { jsonrpc: "2.0", method: "call", params: { service, method, args }, id: 1 },
    { "X-Odoo-Database": target.database },
  );
  const body = payload as { result?: unknown; error?: { data?: { name?: string } } };
  return { status, outcome: body.error ? `error ${body.error.data?.name ?? "?"}` : shapeOf(body.result), result: body.result };
}

function executeKw(
  target: OdooTarget,
  context: ProbeContext,
  password: string,
  model: string,
  method: string,
  positional: unknown[],
  named: Record<string, unknown>,
): Promise<Answer & { result?: unknown }> {
  return jsonRpc(target, "object", "execute_kw", [target.database, context.uid, password, model, method, positional, named]);
}

async function jsonTwo(target: OdooTarget, apiKey: string, model: string, method: string, body: Record<string, unknown>): Promise<Answer> {
  const { status, payload } = await post(`${target.url}/json/2/${model}/${method}`, body, {
    Authorization: `bearer ${apiKey}`,
    "X-Odoo-Database": target.database,
  });
  return { status, outcome: status === 200 ? shapeOf(payload) : "error" };
}

const SECTOR = { code: "SEC-990-contract", name: "Contract" };

export const PROBES: Probe[] = [
  {
    name: "jsonrpc common.login with a wrong password answers false",
    expected: { status: 200, outcome: "false" },
    send: (target) => jsonRpc(target, "common", "login", [target.database, target.login, `${target.password}-wrong`]),
  },
  {
    name: "jsonrpc common.login answers the uid",
    expected: { status: 200, outcome: "number" },
    async send(target, context) {
      const { result, ...answer } = await jsonRpc(target, "common", "login", [target.database, target.login, target.password]);
      context.uid = result as number;
      return answer;
    },
  },
  {
    name: "execute_kw with a wrong password is denied",
    expected: { status: 200, outcome: "error odoo.exceptions.AccessDenied" },
    send: (target, context) =>
      executeKw(target, context, `${target.password}-wrong`, "isp.sector", "search_read", [], { domain: [], fields: ["id"] }),
  },
  {
    name: "execute_kw create with its values by name fails with IndexError",
    expected: { status: 200, outcome: "error builtins.IndexError" },
    send: (target, context) => executeKw(target, context, target.password, "isp.sector", "create", [], { vals_list: [SECTOR] }),
  },
  {
    name: "execute_kw create with its values as the first positional argument answers the ids",
    expected: { status: 200, outcome: "number[]" },
    async send(target, context) {
      const { result, ...answer } = await executeKw(target, context, target.password, "isp.sector", "create", [[SECTOR]], {});
      context.sectorId = (result as number[] | undefined)?.[0] ?? 0;
      return answer;
    },
  },
  {
    name: "execute_kw search_read takes its arguments by name",
    expected: { status: 200, outcome: "object[]" },
    send: (target, context) =>
      executeKw(target, context, target.password, "isp.sector", "search_read", [], {
        domain: [["code", "=", SECTOR.code]],
        fields: ["id", "code"],
        context: { active_test: false },
      }),
  },
  {
    name: "execute_kw write takes the ids first and the values by name",
    expected: { status: 200, outcome: "true" },
    send: (target, context) =>
      executeKw(target, context, target.password, "isp.sector", "write", [[context.sectorId]], { vals: { name: "Contract 2" } }),
  },
  {
    name: "execute_kw write without ids fails with IndexError",
    expected: { status: 200, outcome: "error builtins.IndexError" },
    send: (target, context) => executeKw(target, context, target.password, "isp.sector", "write", [], { vals: { name: "Contract 3" } }),
  },
  {
    name: "execute_kw res.lang get_installed answers the installed languages as [code, name] pairs",
    expected: { status: 200, outcome: "object[]" },
    send: (target, context) => executeKw(target, context, target.password, "res.lang", "get_installed", [], {}),
  },
  {
    name: "execute_kw res.users context_get answers the user's context",
    expected: { status: 200, outcome: "object" },
    send: (target, context) => executeKw(target, context, target.password, "res.users", "context_get", [], {}),
  },
  {
    name: "JSON-2 res.users context_get answers the user's context",
    expected: { status: 200, outcome: "object" },
    send: (target) => jsonTwo(target, target.apiKey, "res.users", "context_get", {}),
  },
  {
    name: "JSON-2 res.lang get_installed refuses an argument it does not take with 422",
    expected: { status: 422, outcome: "error" },
    send: (target) => jsonTwo(target, target.apiKey, "res.lang", "get_installed", { lang: "es_DO" }),
  },
  {
    name: "JSON-2 with a wrong API key is refused with 401",
    expected: { status: 401, outcome: "error" },
    send: (target) => jsonTwo(target, `${target.apiKey}-wrong`, "isp.sector", "search_read", { domain: [], fields: ["id"] }),
  },
  {
    name: "JSON-2 create takes vals_list by name",
    expected: { status: 200, outcome: "number[]" },
    send: (target) => jsonTwo(target, target.apiKey, "isp.sector", "create", { vals_list: [{ code: "SEC-991-contract", name: "Contract JSON-2" }] }),
  },
  {
    name: "JSON-2 refuses ids for an @api.model method with 422",
    expected: { status: 422, outcome: "error" },
    send: (target, context) =>
      jsonTwo(target, target.apiKey, "isp.sector", "create", { ids: [context.sectorId], vals_list: [{ code: "SEC-992-contract", name: "x" }] }),
  },
  {
    name: "JSON-2 refuses an argument the method does not take with 422",
    expected: { status: 422, outcome: "error" },
    send: (target, context) => jsonTwo(target, target.apiKey, "isp.sector", "write", { ids: [context.sectorId], values: { name: "x" } }),
  },
  {
    name: "JSON-2 write takes ids and vals by name",
    expected: { status: 200, outcome: "true" },
    send: (target, context) => jsonTwo(target, target.apiKey, "isp.sector", "write", { ids: [context.sectorId], vals: { name: "Contract 4" } }),
  },
  {
    name: "execute_kw create of a router in agent mode answers the ids",
    expected: { status: 200, outcome: "number[]" },
    async send(target, context) {
      const router = { name: "MK-CONTRACT-AGENT", connection_mode: "agent", checkin_interval: 30, sync_interval: 300 };
      const { result, ...answer } = await executeKw(target, context, target.password, "isp.router", "create", [[router]], {});
      context.routerId = (result as number[] | undefined)?.[0] ?? 0;
      return answer;
    },
  },
  {
    name: "execute_kw write of a router's LAN networks answers true",
    expected: { status: 200, outcome: "true" },
    send: (target, context) =>
      executeKw(target, context, target.password, "isp.router", "write", [[context.routerId]], {
        vals: { lan_networks: "10.99.0.0/24,10.98.0.0/23" },
      }),
  },
  {
    name: "execute_kw write of LAN networks with host bits fails with ValidationError",
    expected: { status: 200, outcome: "error odoo.exceptions.ValidationError" },
    send: (target, context) =>
      executeKw(target, context, target.password, "isp.router", "write", [[context.routerId]], { vals: { lan_networks: "10.99.0.1/24" } }),
  },
  {
    name: "execute_kw write of a field the model lacks fails with ValueError",
    expected: { status: 200, outcome: "error builtins.ValueError" },
    send: (target, context) =>
      executeKw(target, context, target.password, "isp.router", "write", [[context.routerId]], { vals: { lan_network: "10.99.0.0/24" } }),
  },
  {
    name: "JSON-2 search_read of a field the model lacks is refused with 500",
    expected: { status: 500, outcome: "error" },
    send: (target, context) =>
      jsonTwo(target, target.apiKey, "isp.router", "search_read", { domain: [["id", "=", context.routerId]], fields: ["lan_network"] }),
  },
  {
    name: "JSON-2 search_read answers a router's LAN networks",
    expected: { status: 200, outcome: "object[]" },
    send: (target, context) =>
      jsonTwo(target, target.apiKey, "isp.router", "search_read", { domain: [["id", "=", context.routerId]], fields: ["lan_networks"] }),
  },
  {
    name: "execute_kw rotate_key takes the router's ids and answers the new key",
    expected: { status: 200, outcome: "string" },
    send: (target, context) => executeKw(target, context, target.password, "isp.router", "rotate_key", [[context.routerId]], {}),
  },
  {
    name: "execute_kw key_matches takes the key by name",
    expected: { status: 200, outcome: "false" },
    send: (target, context) => executeKw(target, context, target.password, "isp.router", "key_matches", [[context.routerId]], { key: "not-the-key" }),
  },
  {
    name: "JSON-2 rotate_key takes the router's ids",
    expected: { status: 200, outcome: "string" },
    send: (target, context) => jsonTwo(target, target.apiKey, "isp.router", "rotate_key", { ids: [context.routerId] }),
  },
  {
    name: "JSON-2 key_matches without the key is refused with 422",
    expected: { status: 422, outcome: "error" },
    send: (target, context) => jsonTwo(target, target.apiKey, "isp.router", "key_matches", { ids: [context.routerId] }),
  },
  {
    name: "JSON-2 write of the router's readiness result takes ids and vals by name",
    expected: { status: 200, outcome: "true" },
    send: (target, context) =>
      jsonTwo(target, target.apiKey, "isp.router", "write", {
        ids: [context.routerId],
        vals: { reach_error: "failure: SSL: ssl: no trusted CA certificate found (6)" },
      }),
  },
  {
    name: "GET /web/health answers 200 with status pass, without a database",
    expected: { status: 200, outcome: "pass" },
    async send(target) {
      const response = await fetch(`${target.url}/web/health`);
      const body = (await response.json()) as { status?: string };
      return { status: response.status, outcome: body.status ?? "?" };
    },
  },
];

/** Each probe whose answer differs from Odoo 19's, as a line naming the probe, the answer expected and the one given. */
export async function contractDifferences(target: OdooTarget): Promise<string[]> {
  const context: ProbeContext = { uid: 0, sectorId: 0, routerId: 0 };
  const differences: string[] = [];
  for (const probe of PROBES) {
    const answer = await probe.send(target, context);
    if (answer.status !== probe.expected.status || answer.outcome !== probe.expected.outcome) {
      differences.push(`${probe.name}: expected ${JSON.stringify(probe.expected)}, got ${JSON.stringify(answer)}`);
    }
  }
  return differences;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { url: { type: "string" }, database: { type: "string" }, login: { type: "string" } } });
  const target: OdooTarget = {
    url: values.url ?? "",
    database: values.database ?? "",
    login: values.login ?? "",
    password: process.env.ODOO_ADMIN_PASS ?? "",
    apiKey: process.env.ODOO_API_KEY ?? "",
  };
  const differences = await contractDifferences(target);
  differences.forEach((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${PROBES.length - differences.length} of ${PROBES.length} answers as Odoo 19's\n`);
  process.exitCode = differences.length > 0 ? 1 : 0;
}
