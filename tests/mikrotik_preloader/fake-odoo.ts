/**
 * A small stand-in for Odoo on 127.0.0.1: the JSON-2 and /jsonrpc calls the preloader makes
 * (isp.sector, isp.router, ir.config_parameter), and `/isp/mac_onboarding`, which records what
 * the router's lease-script sends.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type OdooRecord = Record<string, unknown> & { id: number };

export interface FakeOdoo {
  url: string;
  database: string;
  apiKey: string;
  adminPassword: string;
  sectors: OdooRecord[];
  routers: OdooRecord[];
  parameters: Map<string, string>;
  /** Every request, in arrival order. */
  requests: ReceivedRequest[];
  onboardings(): ReceivedRequest[];
  close(): Promise<void>;
}

type Domain = [string, string, unknown][];

function matches(record: OdooRecord, domain: Domain): boolean {
  return domain.every(([field, operator, value]) =>
    operator === "in" ? (value as unknown[]).includes(record[field]) : record[field] === value,
  );
}

export async function startFakeOdoo(database = "isp"): Promise<FakeOdoo> {
  const fake = {
    database,
    apiKey: "fake-odoo-api-key-0123456789",
    adminPassword: "fake-odoo-admin-pass-0123",
    sectors: [] as OdooRecord[],
    routers: [] as OdooRecord[],
    parameters: new Map<string, string>(),
    requests: [] as ReceivedRequest[],
  };
  const tables: Record<string, OdooRecord[]> = { "isp.sector": fake.sectors, "isp.router": fake.routers };
  let nextId = 1;

  const execute = (model: string, method: string, ids: number[], params: Record<string, unknown>): unknown => {
    if (model === "ir.config_parameter") {
      if (method === "get_param") return fake.parameters.get(String(params.key)) ?? false;
      if (method === "set_param") return fake.parameters.set(String(params.key), String(params.value)) && true;
    }
    const table = tables[model];
    if (table === undefined) throw new Error(`unknown model ${model}`);
    if (method === "search_read") {
      const fields = params.fields as string[];
      return table
        .filter((record) => matches(record, params.domain as Domain))
        .map((record) => {
          const row: Record<string, unknown> = { id: record.id };
          for (const field of fields) {
            const value = record[field];
            const sector = fake.sectors.find((candidate) => candidate.id === value);
            row[field] = field === "sector_id" ? (sector ? [sector.id, sector.name] : false) : (value ?? false);
          }
          return row;
        });
    }
    if (method === "create") {
      return (params.vals_list as Record<string, unknown>[]).map((values) => {
        const record = { ...values, id: nextId++ };
        table.push(record);
        return record.id;
      });
    }
    if (method === "write") {
      for (const record of table.filter((candidate) => ids.includes(candidate.id))) Object.assign(record, params.vals);
      return true;
    }
    throw new Error(`unexpected ${model}.${method}`);
  };

  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      const path = request.url ?? "";
      fake.requests.push({ path, headers: request.headers, body });
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { "Content-Type": "application/json" });
        response.end(JSON.stringify(payload));
      };
      if (request.headers["x-odoo-database"] !== database) return reply(404, { message: "database not found" });
      if (path === "/isp/mac_onboarding") return reply(200, { result: "created" });
      try {
        const jsonTwo = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
        if (jsonTwo) {
          if (request.headers.authorization !== `bearer ${fake.apiKey}`) return reply(401, { message: "invalid API key" });
          const { ids, ...params } = JSON.parse(body) as Record<string, unknown>;
          return reply(200, execute(jsonTwo[1] ?? "", jsonTwo[2] ?? "", (ids as number[]) ?? [], params));
        }
        if (path === "/jsonrpc") {
          const { service, method, args } = (JSON.parse(body) as { params: { service: string; method: string; args: unknown[] } }).params;
          if (service === "common" && method === "login") {
            return reply(200, { jsonrpc: "2.0", id: 1, result: args[1] === "admin" && args[2] === fake.adminPassword ? 2 : false });
          }
          const [, , password, model, modelMethod, positional, kwargs] = args as [string, number, string, string, string, unknown[], Record<string, unknown>];
          if (password !== fake.adminPassword) return reply(200, { jsonrpc: "2.0", id: 1, error: { message: "Access Denied" } });
          const ids = (positional[0] as number[] | undefined) ?? [];
          return reply(200, { jsonrpc: "2.0", id: 1, result: execute(model, modelMethod, ids, kwargs) });
        }
        return reply(404, { message: "not found" });
      } catch (error) {
        return reply(500, { message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    onboardings: () => fake.requests.filter((request) => request.path === "/isp/mac_onboarding"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
