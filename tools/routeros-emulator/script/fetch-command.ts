import { durationSeconds } from "../../routeros/duration.ts";
import { ScriptError, type SourcePosition } from "./errors.ts";
import type { CheckCertificate, FetchRequest, FetchResult } from "./host.ts";
import { num, str, type Value } from "./values.ts";

/** `/tool fetch` arguments after evaluation, as the text each one produced. */
export interface FetchSettings {
  url: string | undefined;
  httpMethod: string | undefined;
  httpHeaderField: string | undefined;
  httpData: string | undefined;
  output: string | undefined;
  checkCertificate: string | undefined;
  keepResult: string | undefined;
  idleTimeout: string | undefined;
  asValue: boolean;
}

export interface FetchPlan {
  request: FetchRequest;
  /** `output=user`: the body is handed back to the script. */
  returnsBody: boolean;
  asValue: boolean;
}

const METHODS = new Set(["get", "post", "put", "delete", "head", "patch"]);

/**
 * What fetch sends and hands back at most: `http-data` is limited to 64 KB, and so is what
 * `output=user` stores in a variable (manual "Fetch" as summarised by mikrotikdocs.fyi/tools/fetch;
 * the project's RouterOS notes). The words of the failure are the emulator's own.
 */
export const HTTP_DATA_LIMIT = 64 * 1024;
export const OUTPUT_USER_LIMIT = 64 * 1024;

/** `idle-timeout` takes 1s..1w (7.19.6's command tree). */
const IDLE_TIMEOUT_RANGE = { min: 1, max: 604_800 };

/** RouterOS sends form encoding unless the script names a Content-Type itself. */
const DEFAULT_CONTENT_TYPE = "application/x-www-form-urlencoded";

export function planFetch(settings: FetchSettings, position?: SourcePosition): FetchPlan {
  if (!settings.url) throw new ScriptError("/tool fetch needs url= (address= and src-path= are not supported)", position);
  const method = settings.httpMethod ?? "get";
  if (!METHODS.has(method)) {
    throw new ScriptError(`/tool fetch http-method must be one of ${[...METHODS].join(", ")}, got "${method}"`, position);
  }
  const headers = parseHeaderFields(settings.httpHeaderField ?? "", position);
  const request: FetchRequest = {
    url: settings.url,
    method: method.toUpperCase(),
    headers,
    checkCertificate: parseCheckCertificate(settings.checkCertificate, position),
  };
  const idleTimeoutMs = parseIdleTimeout(settings.idleTimeout, position);
  if (idleTimeoutMs !== undefined) request.idleTimeoutMs = idleTimeoutMs;
  if (settings.httpData !== undefined) {
    if (Buffer.byteLength(settings.httpData) > HTTP_DATA_LIMIT) {
      throw new ScriptError(`/tool fetch: failure: http-data larger than ${HTTP_DATA_LIMIT} bytes`, position);
    }
    request.body = settings.httpData;
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
      headers["Content-Type"] = DEFAULT_CONTENT_TYPE;
    }
  }
  return { request, returnsBody: parseOutput(settings, position) === "user", asValue: settings.asValue };
}

/** `"Name: value,Other: value"`: RouterOS splits on every comma, so a value cannot hold one. */
function parseHeaderFields(text: string, position: SourcePosition | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const field of text.split(",")) {
    if (!field.trim()) continue;
    const colon = field.indexOf(":");
    const name = colon < 0 ? "" : field.slice(0, colon).trim();
    if (!name) throw new ScriptError(`/tool fetch http-header-field "${field}" is not "Name: value"`, position);
    headers[name] = field.slice(colon + 1).trimStart();
  }
  return headers;
}

function parseCheckCertificate(text: string | undefined, position: SourcePosition | undefined): CheckCertificate {
  if (text === undefined) return "no";
  if (text === "no" || text === "yes" || text === "yes-without-crl") return text;
  throw new ScriptError(`/tool fetch check-certificate must be yes, yes-without-crl or no, got "${text}"`, position);
}

function parseIdleTimeout(text: string | undefined, position: SourcePosition | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = durationSeconds(text);
  if (seconds === undefined || seconds < IDLE_TIMEOUT_RANGE.min || seconds > IDLE_TIMEOUT_RANGE.max) {
    throw new ScriptError(`/tool fetch idle-timeout must be a time in 1s..1w, got "${text}"`, position);
  }
  return seconds * 1000;
}

/** `keep-result=no` is RouterOS 6's way of saying `output=none`. */
function parseOutput(settings: FetchSettings, position: SourcePosition | undefined): "none" | "user" {
  const output = settings.output ?? (settings.keepResult === "no" ? "none" : "file");
  if (settings.keepResult !== undefined && settings.keepResult !== "yes" && settings.keepResult !== "no") {
    throw new ScriptError(`/tool fetch keep-result must be yes or no, got "${settings.keepResult}"`, position);
  }
  if (output === "none" || output === "user") return output;
  if (output === "file") {
    throw new ScriptError("/tool fetch would save a file, which is not supported; add output=none or output=user", position);
  }
  throw new ScriptError(`/tool fetch output=${output} is not supported (only none and user)`, position);
}

/** What `as-value` hands back: an array keyed like RouterOS's (`status`, `downloaded`, `total`, `data`). */
export function fetchResultValue(result: FetchResult, returnsBody: boolean): Value {
  const kibibytes = num(BigInt(Math.floor(result.body.length / 1024)));
  const entries = new Map<string, Value>();
  if (returnsBody) entries.set("data", str(result.body));
  entries.set("downloaded", kibibytes);
  entries.set("status", str("finished"));
  entries.set("total", kibibytes);
  return { type: "array", entries };
}
