export type LogTopic = "info" | "warning" | "error" | "debug";

/** What `/tool fetch` asks the host to send. */
export interface FetchRequest {
  url: string;
  /** Upper case, e.g. "POST". */
  method: string;
  headers: Record<string, string>;
  body?: string;
  checkCertificate: boolean;
}

export interface FetchResult {
  status: number;
  body: string;
}

/** Everything a running script may touch outside itself. */
export interface ScriptHost {
  log(topic: LogTopic, message: string): void;
  put(text: string): void;
  /** Resolves for a successful response; rejects with an Error whose message reads like RouterOS's ("failure: ..."). */
  fetch(request: FetchRequest): Promise<FetchResult>;
  /**
   * The router's global variables, shared by every script run on it. Values are
   * kept as their text. Without it, globals last for one run only.
   */
  globals?: Map<string, string>;
}
