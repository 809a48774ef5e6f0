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
  create(model: string, valsList: Record<string, unknown>[], context?: Record<string, unknown>): Promise<number[]>;
}

export interface OdooConnection {
  url: string;
  database: string;
  login: string;
  credentials: OdooCredentials;
  /** The language of what Odoo writes for these calls (chatter, names); the user's own when undefined. */
  lang: string | undefined;
  /** Where the url, database, login and lang come from in the config (`odoo.url (line 95)`), for messages. */
  sources: { url: string; database: string; login: string; lang: string };
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
  return { call, create: (model, valsList, context) => call<number[]>(model, "create", { vals_list: valsList, ...(context ? { context } : {}) }) };
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
    create: (model, valsList, context) => executeKw<number[]>(model, "create", [valsList], context ? { context } : {}),
  };
}

/**
 * Every call carries the language in its context. Without one, Odoo writes in English whatever
 * it stores for these calls (chatter lines, tracking, record names), whoever reads it later.
 */
function speaking(api: OdooApi, lang: string): OdooApi {
  return {
    call: (model, method, params, ids) => api.call(model, method, { ...params, context: { ...(params.context as object | undefined), lang } }, ids),
    create: (model, valsList) => api.create(model, valsList, { lang }),
  };
}

/** The language to speak: the configured one if Odoo has it installed, else the user's own. */
async function chooseLanguage(api: OdooApi, connection: OdooConnection): Promise<string> {
  const installed = (await api.call<[string, string][]>("res.lang", "get_installed", {})).map(([code]) => code);
  if (connection.lang === undefined) {
    const { lang } = await api.call<{ lang?: string | false }>("res.users", "context_get", {});
    return lang && installed.includes(lang) ? lang : (installed[0] ?? "en_US");
  }
  if (!installed.includes(connection.lang)) {
    throw new OdooError(
      `${connection.sources.lang}: "${connection.lang}" is not a language installed in Odoo's database "${connection.database}" (installed: ${installed.join(", ")})`,
    );
  }
  return connection.lang;
}

export async function connectOdoo(connection: OdooConnection): Promise<OdooApi & { lang: string }> {
  const base = connection.url.replace(/\/+$/, "");
  const api =
    connection.credentials.kind === "api_key"
      ? jsonTwoApi(base, connection, connection.credentials.apiKey)
      : await jsonRpcApi(base, connection, connection.credentials.password);
  const lang = await chooseLanguage(api, connection);
  return { ...speaking(api, lang), lang };
}
