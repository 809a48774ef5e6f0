import assert from "node:assert/strict";

import {
  ScriptError,
  runScript,
  type FetchRequest,
  type FetchResult,
  type LogTopic,
  type ScriptHost,
} from "../../tools/routeros-emulator/script/index.ts";

/** A ScriptHost that remembers what a script printed, logged and fetched. */
export class RecordingHost implements ScriptHost {
  readonly printed: string[] = [];
  readonly logged: { topic: LogTopic; message: string }[] = [];
  readonly requests: FetchRequest[] = [];
  readonly globals: Map<string, string>;

  constructor(
    private readonly respond: (request: FetchRequest) => Promise<FetchResult> = async () => ({ status: 200, body: "" }),
    globals: Map<string, string> = new Map(),
  ) {
    this.globals = globals;
  }

  log(topic: LogTopic, message: string): void {
    this.logged.push({ topic, message });
  }

  put(text: string): void {
    this.printed.push(text);
  }

  fetch(request: FetchRequest): Promise<FetchResult> {
    this.requests.push(request);
    return this.respond(request);
  }
}

/** Runs a script and returns what it printed with `:put`. */
export async function printedBy(source: string, variables: Record<string, string> = {}): Promise<string[]> {
  const host = new RecordingHost();
  await runScript(source, variables, host);
  return host.printed;
}

/** Runs a script that must fail and returns its ScriptError. */
export async function failureOf(source: string, host: ScriptHost = new RecordingHost()): Promise<ScriptError> {
  try {
    await runScript(source, {}, host);
  } catch (error) {
    assert.ok(error instanceof ScriptError, `expected a ScriptError, got ${String(error)}`);
    assert.equal(error.category, 3);
    return error;
  }
  assert.fail(`script did not fail: ${source}`);
}
