import type { Value } from "./values.ts";

export type LogTopic = "info" | "warning" | "error" | "debug";

/** The menu commands scripts may run (`/ip hotspot user add ...`); see ScriptHost.menu for what each does. */
export const MENU_VERBS = ["add", "set", "remove", "find", "get", "enable", "disable", "run"] as const;
export type MenuVerb = (typeof MENU_VERBS)[number];

/**
 * One menu command as a script wrote it, its values evaluated: `/ip hotspot user set $ids
 * disabled=yes` is `{ path: "ip/hotspot/user", verb: "set", positional: [ids], named: [["disabled", "yes"]] }`.
 */
export interface MenuCall {
  path: string;
  verb: MenuVerb;
  positional: Value[];
  named: [string, Value][];
}

/** What `/tool fetch` asks the host to send. */
export interface FetchRequest {
  url: string;
  /** Upper case, e.g. "POST". */
  method: string;
  headers: Record<string, string>;
  /** The bytes to send, one character each, as scripts hold text. */
  body?: string;
  /** `no` (RouterOS's default) skips the check; `yes` also needs the certificate's CRL. */
  checkCertificate: CheckCertificate;
  /** How long to wait without data before failing; the manual's default (10s) when undefined. */
  idleTimeoutMs?: number;
}

export type CheckCertificate = "no" | "yes" | "yes-without-crl";

export interface FetchResult {
  status: number;
  /** The bytes received, one character each. */
  body: string;
}

/** Everything a running script may touch outside itself. */
export interface ScriptHost {
  log(topic: LogTopic, message: string): void;
  put(text: string): void;
  /** Resolves for a successful response; rejects with an Error whose message reads like RouterOS's ("failure: ..."). */
  fetch(request: FetchRequest): Promise<FetchResult>;
  /**
   * Runs a menu command against the router and resolves to its value: the new item's id for
   * `add`, an array of ids for `find`, the property for `get`, nil otherwise. Rejects with a
   * ScriptError whose message is the router's. Without it, scripts may use no menu but
   * `/tool fetch`.
   */
  menu?(call: MenuCall): Promise<Value>;
  /**
   * The arguments the router's `/tool fetch` takes (its version's command tree). A script that
   * gives it any other fails before it runs, as on RouterOS; without it, any argument the
   * interpreter supports is taken.
   */
  fetchArguments?: ReadonlySet<string>;
  /**
   * The router's global variables, shared by every script run on it. Values are
   * kept as their text. Without it, globals last for one run only.
   */
  globals?: Map<string, string>;
}
