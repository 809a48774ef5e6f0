/**
 * Odoo's external API, two ways: JSON-2 (`POST /json/2/<model>/<method>`, bearer API key) when
 * ODOO_API_KEY is set, else `/jsonrpc` (`common.login`, then `object.execute_kw`) with the admin
 * password. Every request names the database in `X-Odoo-Database`, so Odoo never has to list
 * databases to pick one.
 */
import { DATABASE_HEADER } from "../contract.ts";
import { OdooError } from "./errors.ts";
import { ENV, type OdooCredentials } from "./secrets.ts";

export interface OdooApi {
  /** Calls `model.method(**params)`, on `ids` when given. Not for `create`: see `create`. */
  call<T>(model: string, method: string, params: Record<string, unknown>, ids?: number[]): Promise<T>;
  /**
   * `model.create(vals_list)`, answering the new ids. It has its own entry because the two APIs
   * disagree on it: `/jsonrpc`'s `execute_kw` reads `create`'s values from the first positional
   * argument (named values fail with `IndexError`), while JSON-2 takes arguments by name only.
   */
  create(model: string, valsList: Record<string, unknown>[]): Promise<number[]>;
}

export interface OdooConnection {
  url: string;
  database: string;
  login: string;
  credentials: OdooCredentials;
  /** Where the url, database and login come from in the config (`odoo.url (line 95)`), for messages. */
  sources: { url: string; database: string; login: string };
}

/** A hint for an answer that means "no such database here": the key to check. */
function databaseHint(connection: OdooConnection): string {
  return `is "${connection.database}" (${connection.sources.database}) a database of this Odoo, with isp_core installed?`;
}

async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  connection: OdooConnection,
): Promise<{ status: number; payload: unknown }> {
  const origin = new URL(url).origin;
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new OdooError(`cannot reach Odoo at ${origin} (${connection.sources.url}): ${cause?.code ?? cause?.message ?? String(error)}`);
  }
  if (response.status === 404) throw new OdooError(`Odoo at ${origin} answered 404 for ${new URL(url).pathname}: ${databaseHint(connection)}`);
  const text = await response.text();
  try {
    return { status: response.status, payload: text ? JSON.parse(text) : null };
  } catch {
    throw new OdooError(
      `${origin} (${connection.sources.url}) answered ${response.status} with something other than JSON at ${new URL(url).pathname}`,
    );
  }
}

function odooMessage(payload: unknown): string {
  const error = (payload as { error?: { data?: { message?: string }; message?: string } } | null)?.error;
  const direct = payload as { message?: string } | null;
  return error?.data?.message ?? error?.message ?? direct?.message ?? "no details";
}

function jsonTwoApi(base: string, connection: OdooConnection, apiKey: string): OdooApi {
  const call = async <T>(model: string, method: string, params: Record<string, unknown>, ids?: number[]): Promise<T> => {
    const { status, payload } = await postJson(
      `${base}/json/2/${model}/${method}`,
      ids ? { ids, ...params } : params,
      { Authorization: `bearer ${apiKey}`, [DATABASE_HEADER]: connection.database },
      connection,
    );
    if (status === 401) {
      throw new OdooError(`Odoo refused the API key (${ENV.odooApiKey}) for database "${connection.database}" (${connection.sources.database})`);
    }
    if (status !== 200) throw new OdooError(`Odoo ${model}.${method} failed (${status}): ${odooMessage(payload)}`);
    return payload as T;
  };
  return { call, create: (model, valsList) => call<number[]>(model, "create", { vals_list: valsList }) };
}

async function jsonRpc(base: string, connection: OdooConnection, service: string, method: string, args: unknown[]): Promise<unknown> {
  const { status, payload } = await postJson(
    `${base}/jsonrpc`,
    { jsonrpc: "2.0", method: "call", params: { service, method, args }, id: 1 },
    { [DATABASE_HEADER]: connection.database },
    connection,
  );
  const body = payload as { result?: unknown; error?: unknown } | null;
  if (status !== 200 || body?.error !== undefined) {
    const message = odooMessage(payload);
    const hint = /database .*does not exist/i.test(message) ? `; ${databaseHint(connection)}` : "";
    throw new OdooError(`Odoo ${service}.${method}${service === "object" ? ` ${String(args[3])}.${String(args[4])}` : ""} failed: ${message}${hint}`);
  }
  return body?.result;
}

async function jsonRpcApi(base: string, connection: OdooConnection, password: string): Promise<OdooApi> {
  const uid = await jsonRpc(base, connection, "common", "login", [connection.database, connection.login, password]);
  if (typeof uid !== "number") {
    throw new OdooError(
      `Odoo refused the login "${connection.login}" (${ENV.odooAdminPassword}) for database "${connection.database}": ` +
        `check ${ENV.odooAdminPassword}, ${connection.sources.login} and ${connection.sources.database}`,
    );
  }
  const executeKw = async <T>(model: string, method: string, positional: unknown[], named: Record<string, unknown>): Promise<T> =>
    (await jsonRpc(base, connection, "object", "execute_kw", [connection.database, uid, password, model, method, positional, named])) as T;
  return {
    call: (model, method, params, ids) => executeKw(model, method, ids ? [ids] : [], params),
    create: (model, valsList) => executeKw<number[]>(model, "create", [valsList], {}),
  };
}

export async function connectOdoo(connection: OdooConnection): Promise<OdooApi> {
  const base = connection.url.replace(/\/+$/, "");
  return connection.credentials.kind === "api_key"
    ? jsonTwoApi(base, connection, connection.credentials.apiKey)
    : jsonRpcApi(base, connection, connection.credentials.password);
}
