/**
 * A small stand-in for Odoo on 127.0.0.1: the JSON-2 and /jsonrpc calls the preloader makes
 * (isp.sector, isp.router), and `/isp/mac_onboarding`, which records what
 * the router's lease-script sends.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { formatCidr, parseCidr } from "../../tools/routeros/ipv4.ts";

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
  /** `model.method` calls refused as Odoo refuses a user without the right: an AccessError, nothing written. */
  refusals: Set<string>;
  /** Every request, in arrival order. */
  requests: ReceivedRequest[];
  /** The languages installed, and the one of the preloader's user (`res.users.context_get`). */
  languages: string[];
  userLang: string;
  /** The `lang` of each call's context, `undefined` for a call without one, in arrival order. */
  callLanguages: (string | undefined)[];
  onboardings(): ReceivedRequest[];
  close(): Promise<void>;
}

type Domain = [string, string, unknown][];

function matches(record: OdooRecord, domain: Domain): boolean {
  return domain.every(([field, operator, value]) => (operator === "in" ? (value as unknown[]).includes(record[field]) : record[field] === value));
}

/**
 * The methods the preloader calls, with what Odoo 19 checks before running one: whether it is
 * an `@api.model` method (no ids), its parameters in order, how many are required, and whether
 * it takes other keywords too (`search_read` passes them on to `read`).
 */
interface MethodSignature {
  apiModel: boolean;
  params: string[];
  required: number;
  extraKeywords?: boolean;
}

const METHODS: Record<string, MethodSignature> = {
  search_read: { apiModel: true, params: ["domain", "fields", "offset", "limit", "order"], required: 0, extraKeywords: true },
  create: { apiModel: true, params: ["vals_list"], required: 1 },
  write: { apiModel: false, params: ["vals"], required: 1 },
  rotate_key: { apiModel: false, params: [], required: 0 },
  key_matches: { apiModel: false, params: ["key"], required: 1 },
  context_get: { apiModel: true, params: [], required: 0 },
  get_installed: { apiModel: true, params: [], required: 0 },
};

/**
 * The fields of the models the preloader writes, as Odoo 19 has them with isp_core installed (the
 * ones the preloader and the contract probes use): Odoo refuses any other in a read or a write.
 */
const MODEL_FIELDS: Record<string, ReadonlySet<string>> = {
  "isp.sector": new Set(["id", "code", "name", "active"]),
  "isp.router": new Set([
    "id",
    "name",
    "active",
    "host",
    "api_port",
    "use_tls",
    "api_user",
    "api_password",
    "suspended_address_list",
    "lan_networks",
    "reach_error",
    "connection_mode",
    "checkin_interval",
    "sync_interval",
    "sector_id",
  ]),
};

/** An exception as Odoo serialises it: its Python class and its message. */
class OdooException extends Error {
  constructor(
    readonly pythonClass: string,
    message: string,
    readonly httpStatus = 500,
  ) {
    super(message);
  }
}

/** Python's binding of `method(self, *positional, **named)`, with Python's own messages. */
function bindArguments(method: string, signature: MethodSignature, positional: unknown[], named: Record<string, unknown>): Record<string, unknown> {
  if (positional.length > signature.params.length) {
    throw new OdooException(
      "builtins.TypeError",
      `${method}() takes ${signature.params.length + 1} positional arguments but ${positional.length + 1} were given`,
      422,
    );
  }
  const bound: Record<string, unknown> = {};
  positional.forEach((value, index) => (bound[signature.params[index] ?? ""] = value));
  for (const [name, value] of Object.entries(named)) {
    if (name in bound) throw new OdooException("builtins.TypeError", `${method}() got multiple values for argument '${name}'`, 422);
    if (!signature.params.includes(name) && !signature.extraKeywords) {
      throw new OdooException("builtins.TypeError", `${method}() got an unexpected keyword argument '${name}'`, 422);
    }
    bound[name] = value;
  }
  const missing = signature.params.slice(0, signature.required).filter((name) => !(name in bound));
  if (missing.length > 0) {
    throw new OdooException(
      "builtins.TypeError",
      `${method}() missing ${missing.length} required positional argument(s): '${missing.join("', '")}'`,
      422,
    );
  }
  return bound;
}

function signatureOf(model: string, method: string): MethodSignature {
  const signature = METHODS[method];
  if (signature === undefined) throw new OdooException("builtins.AttributeError", `The method '${model}.${method}' does not exist`, 404);
  return signature;
}

/** Odoo's `Invalid field` ValueError for a field the model lacks. */
function checkFields(model: string, names: string[]): void {
  const unknown = names.find((name) => !MODEL_FIELDS[model]?.has(name));
  if (unknown !== undefined) throw new OdooException("builtins.ValueError", `Invalid field '${unknown}' on model '${model}'`);
}

/** isp.router's constraint: its LAN networks are IPv4 networks in CIDR form, comma-separated, without host bits. */
function checkValues(model: string, values: Record<string, unknown>): void {
  checkFields(model, Object.keys(values));
  if (model !== "isp.router" || typeof values.lan_networks !== "string") return;
  for (const item of values.lan_networks.split(",").map((text) => text.trim())) {
    const network = parseCidr(item);
    if (item !== "" && (network === undefined || network.prefix === 0 || formatCidr(network) !== item)) {
      throw new OdooException(
        "odoo.exceptions.ValidationError",
        `LAN Networks: ${item} is not an IPv4 network in CIDR form, such as 10.10.0.0/24.`,
        422,
      );
    }
  }
}

export async function startFakeOdoo(database = "isp"): Promise<FakeOdoo> {
  const fake = {
    database,
    apiKey: "fake-odoo-api-key-0123456789",
    adminPassword: "fake-odoo-admin-pass-0123",
    sectors: [] as OdooRecord[],
    routers: [] as OdooRecord[],
    refusals: new Set<string>(),
    requests: [] as ReceivedRequest[],
    languages: ["en_US", "es_DO"],
    userLang: "es_DO",
    callLanguages: [] as (string | undefined)[],
  };
  const tables: Record<string, OdooRecord[]> = { "isp.sector": fake.sectors, "isp.router": fake.routers };
  let nextId = 1;

  const execute = (model: string, method: string, ids: number[], params: Record<string, unknown>): unknown => {
    if (fake.refusals.has(`${model}.${method}`)) {
      throw new OdooException("odoo.exceptions.AccessError", `You are not allowed to ${method} '${model}' records.`, 403);
    }
    if (model === "res.users" && method === "context_get") return { lang: fake.userLang, tz: "America/Santo_Domingo" };
    if (model === "res.lang" && method === "get_installed") return fake.languages.map((code) => [code, code]);
    const table = tables[model];
    if (table === undefined) throw new OdooException("werkzeug.exceptions.NotFound", `the model '${model}' does not exist`, 404);
    if (method === "search_read") {
      const fields = params.fields as string[];
      checkFields(model, fields);
      return table
        .filter((record) => matches(record, (params.domain as Domain | undefined) ?? []))
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
      const valsList = Array.isArray(params.vals_list) ? params.vals_list : [params.vals_list];
      (valsList as Record<string, unknown>[]).forEach((values) => checkValues(model, values));
      return (valsList as Record<string, unknown>[]).map((values) => {
        const record = { ...values, id: nextId++ };
        table.push(record);
        return record.id;
      });
    }
    if (method === "write") {
      checkValues(model, params.vals as Record<string, unknown>);
      for (const record of table.filter((candidate) => ids.includes(candidate.id))) Object.assign(record, params.vals);
      return true;
    }
    if (model === "isp.router" && (method === "rotate_key" || method === "key_matches")) {
      const [record, ...others] = table.filter((candidate) => ids.includes(candidate.id));
      if (record === undefined || others.length > 0)
        throw new OdooException("builtins.ValueError", `Expected singleton: isp.router(${ids.join(", ")})`);
      if (method === "key_matches") return record.router_key !== undefined && record.router_key === params.key;
      record.router_key = `fake-agent-key-${record.id}-${nextId++}`;
      return record.router_key;
    }
    throw new OdooException("builtins.AttributeError", `The method '${model}.${method}' does not exist`, 404);
  };

  /** `/json/2/<model>/<method>`: arguments by name only, `ids` for record methods. */
  const jsonTwo = (model: string, method: string, body: Record<string, unknown>): unknown => {
    const { ids = [], context, ...named } = body as { ids?: number[]; context?: { lang?: string } } & Record<string, unknown>;
    const signature = signatureOf(model, method);
    fake.callLanguages.push(context?.lang);
    if (signature.apiModel && ids.length > 0)
      throw new OdooException("werkzeug.exceptions.UnprocessableEntity", `cannot call ${model}.${method} with ids`, 422);
    return execute(model, method, ids, bindArguments(method, signature, [], named));
  };

  /**
   * `object.execute_kw` as `odoo/service/model.py` runs it: a record method takes its ids from
   * the first positional argument, and `create`'s answer is shaped after the first positional
   * argument, so a `create` whose values come by name fails with `IndexError`.
   */
  const executeKw = (model: string, method: string, positional: unknown[], named: Record<string, unknown>): unknown => {
    const signature = signatureOf(model, method);
    const { context, ...keywords } = named as { context?: { lang?: string } } & Record<string, unknown>;
    fake.callLanguages.push(context?.lang);
    let ids: number[] = [];
    let args = positional;
    if (!signature.apiModel) {
      if (positional.length === 0) throw new OdooException("builtins.IndexError", "list index out of range");
      [ids, ...args] = positional as [number[], ...unknown[]];
    }
    const bound = bindArguments(method, signature, args, keywords);
    // Odoo creates the records, then fails and rolls them back: nothing is left either way.
    if (method === "create" && args.length === 0) throw new OdooException("builtins.IndexError", "list index out of range");
    return execute(model, method, ids, bound);
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
      // Odoo's health route needs no database: the router's readiness fetch sends none.
      if (path === "/web/health" && request.method === "GET") return reply(200, { status: "pass" });
      if (request.headers["x-odoo-database"] !== database) return reply(404, { message: "database not found" });
      if (path === "/isp/mac_onboarding") return reply(200, { result: "created" });
      const jsonRpcError = (error: OdooException) =>
        reply(200, {
          jsonrpc: "2.0",
          id: 1,
          error: { code: 200, message: "Odoo Server Error", data: { name: error.pythonClass, message: error.message } },
        });
      try {
        const jsonTwoPath = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
        if (jsonTwoPath) {
          if (request.headers.authorization !== `bearer ${fake.apiKey}`) {
            return reply(401, { name: "werkzeug.exceptions.Unauthorized", message: "Invalid apikey" });
          }
          try {
            return reply(200, jsonTwo(jsonTwoPath[1] ?? "", jsonTwoPath[2] ?? "", JSON.parse(body) as Record<string, unknown>));
          } catch (error) {
            if (!(error instanceof OdooException)) throw error;
            return reply(error.httpStatus, { name: error.pythonClass, message: error.message });
          }
        }
        if (path === "/jsonrpc") {
          const { service, method, args } = (JSON.parse(body) as { params: { service: string; method: string; args: unknown[] } }).params;
          if (service === "common" && method === "login") {
            return reply(200, { jsonrpc: "2.0", id: 1, result: args[1] === "admin" && args[2] === fake.adminPassword ? 2 : false });
          }
          const [, , password, model, modelMethod, positional = [], named = {}] = args as [
            string,
            number,
            string,
            string,
            string,
            unknown[]?,
            Record<string, unknown>?,
          ];
          try {
            if (password !== fake.adminPassword) throw new OdooException("odoo.exceptions.AccessDenied", "Access Denied");
            return reply(200, { jsonrpc: "2.0", id: 1, result: executeKw(model, modelMethod, positional, named) });
          } catch (error) {
            if (!(error instanceof OdooException)) throw error;
            return jsonRpcError(error);
          }
        }
        return reply(404, { message: "not found" });
      } catch (error) {
        return reply(500, { message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // The same object the server reads, so a test may change the password or the user's language.
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    onboardings: () => fake.requests.filter((request) => request.path === "/isp/mac_onboarding"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
