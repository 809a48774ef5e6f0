import type { Socket } from "node:net";
import { encodeSentence, SentenceDecoder, type Sentence } from "./codec.ts";
import { openSocket, type TlsOptions } from "./connection.ts";
import {
  RouterOsConnectionError,
  RouterOsError,
  RouterOsFatalError,
  RouterOsLoginError,
  RouterOsProtocolError,
  RouterOsTimeoutError,
  RouterOsTrapError,
} from "./errors.ts";
import { legacyLoginResponse } from "./legacy-login.ts";
import { attributeWord, parseAttributeWord, TAG_PREFIX } from "./words.ts";

export interface ConnectOptions {
  host: string;
  /** Defaults to 8728, or 8729 with TLS. */
  port?: number;
  /** `true` checks the certificate against the system CAs; pass an object to change that. */
  tls?: boolean | TlsOptions;
  user: string;
  password: string;
  /** Limit for opening the connection and logging in; default 10 s. */
  connectTimeoutMs?: number;
  /** Default limit for each command; default 30 s. */
  commandTimeoutMs?: number;
}

export interface CommandOptions {
  /** Query words for `print`, e.g. `?=name=ether1`, `?#|`; a missing leading `?` is added. */
  query?: string[];
  /** Properties `print` should return. */
  proplist?: string[];
  /** Aborting sends `/cancel`; the command then fails with a category 2 trap. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface CommandResult {
  items: Record<string, string>[];
  ret?: string;
}

interface PendingCommand {
  path: string;
  items: Record<string, string>[];
  trap: RouterOsTrapError | undefined;
  resolve(result: CommandResult): void;
  reject(error: RouterOsError): void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 2_000;

/**
 * A RouterOS API connection. Every command is tagged, so several may run at once on one
 * connection; each resolves with its `!re` items and the `ret` of its `!done`.
 */
export class RouterOsClient {
  private readonly decoder = new SentenceDecoder();
  private readonly pending = new Map<string, PendingCommand>();
  private nextTag = 1;
  private failure: RouterOsError | undefined;
  private readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    private readonly commandTimeoutMs: number,
  ) {
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", (error) => this.fail(new RouterOsConnectionError(error.message, { cause: error })));
    socket.on("close", () => this.fail(new RouterOsConnectionError("connection closed")));
  }

  /** Connects and logs in (6.43+ plain login, falling back to the legacy MD5 challenge). */
  static async connect(options: ConnectOptions): Promise<RouterOsClient> {
    const tls = options.tls === true ? {} : options.tls === false ? undefined : options.tls;
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const socket = await openSocket({
      host: options.host,
      port: options.port ?? (tls ? 8729 : 8728),
      tls,
      timeoutMs,
    });
    const client = new RouterOsClient(socket, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
    try {
      await client.login(options.user, options.password, timeoutMs);
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return client;
  }

  private async login(user: string, password: string, timeoutMs: number): Promise<void> {
    try {
      const first = await this.command("/login", { name: user, password }, { timeoutMs });
      // A router older than 6.43 ignores the password and answers with a challenge.
      if (first.ret !== undefined) {
        await this.command("/login", { name: user, response: legacyLoginResponse(password, first.ret) }, { timeoutMs });
      }
    } catch (error) {
      if (error instanceof RouterOsTrapError) throw new RouterOsLoginError(error.message);
      throw error;
    }
  }

  /** Runs one API command, e.g. `command("/ip/address/add", { address: "10.0.0.1/24", interface: "ether2" })`. */
  command(path: string, args: Record<string, string> = {}, options: CommandOptions = {}): Promise<CommandResult> {
    if (this.failure) return Promise.reject(this.failure);
    const tag = String(this.nextTag++);
    const words = [path, ...Object.entries(args).map(([name, value]) => attributeWord(name, value))];
    if (options.proplist) words.push(attributeWord(".proplist", options.proplist.join(",")));
    for (const query of options.query ?? []) words.push(query.startsWith("?") ? query : `?${query}`);
    words.push(TAG_PREFIX + tag);
    let sentence: Buffer;
    try {
      sentence = encodeSentence(words);
    } catch (error) {
      return Promise.reject(error as RouterOsProtocolError);
    }

    return new Promise<CommandResult>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.commandTimeoutMs;
      const timer = setTimeout(() => {
        settle();
        this.cancel(tag);
        reject(new RouterOsTimeoutError(`${path} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = (): void => this.cancel(tag);
      const settle = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        this.pending.delete(tag);
      };
      this.pending.set(tag, {
        path,
        items: [],
        trap: undefined,
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.socket.write(sentence);
      if (options.signal?.aborted) onAbort();
    });
  }

  /** `print` on a menu such as `/ip/address`. */
  async print(menu: string, options: CommandOptions = {}): Promise<Record<string, string>[]> {
    return (await this.command(`${menu}/print`, {}, options)).items;
  }

  /** `add` on a menu; resolves with the new item's `.id`. */
  async add(menu: string, props: Record<string, string>): Promise<string> {
    const { ret } = await this.command(`${menu}/add`, props);
    if (ret === undefined) throw new RouterOsProtocolError(`${menu}/add returned no .id`);
    return ret;
  }

  /** `set` on an item, or on a singleton menu such as `/system/identity` when `id` is null. */
  async set(menu: string, id: string | null, props: Record<string, string>): Promise<void> {
    await this.command(`${menu}/set`, id === null ? props : { ".id": id, ...props });
  }

  async remove(menu: string, ids: string | string[]): Promise<void> {
    await this.command(`${menu}/remove`, { ".id": typeof ids === "string" ? ids : ids.join(",") });
  }

  /** Fails the commands still running, then closes the connection. */
  async close(): Promise<void> {
    this.fail(new RouterOsConnectionError("connection closed by the client"));
    this.socket.end();
    // A router that never closes its side must not keep the caller waiting.
    const force = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
    await this.closed;
    clearTimeout(force);
  }

  /** Asks the router to stop a running command; its reply (a category 2 trap) ends that command. */
  private cancel(tag: string): void {
    if (this.failure) return;
    const cancelTag = String(this.nextTag++);
    this.socket.write(encodeSentence(["/cancel", attributeWord("tag", tag), TAG_PREFIX + cancelTag]));
  }

  private receive(chunk: Buffer): void {
    let sentences: Sentence[];
    try {
      sentences = this.decoder.push(chunk);
    } catch (error) {
      this.fail(error as RouterOsError);
      this.socket.destroy();
      return;
    }
    for (const sentence of sentences) this.dispatch(sentence);
  }

  private dispatch(sentence: Sentence): void {
    const reply = sentence[0];
    if (reply === "!fatal") {
      const message = sentence.slice(1).find((word) => !word.startsWith(TAG_PREFIX)) ?? "fatal error";
      this.fail(new RouterOsFatalError(message));
      return;
    }
    let tag: string | undefined;
    const attributes: Record<string, string> = {};
    for (let index = 1; index < sentence.length; index++) {
      const word = sentence[index] ?? "";
      if (word.startsWith(TAG_PREFIX)) {
        tag = word.slice(TAG_PREFIX.length);
        continue;
      }
      const attribute = parseAttributeWord(word);
      if (attribute) attributes[attribute[0]] = attribute[1];
    }
    // Replies to abandoned commands (timed out, cancelled) have no pending entry any more.
    const command = tag === undefined ? undefined : this.pending.get(tag);
    if (!command) return;
    switch (reply) {
      case "!re":
        command.items.push(attributes);
        break;
      case "!trap": {
        const category = attributes.category === undefined ? undefined : Number(attributes.category);
        command.trap ??= new RouterOsTrapError(attributes.message ?? `${command.path} failed`, category);
        break;
      }
      case "!done":
        if (command.trap) command.reject(command.trap);
        else command.resolve(attributes.ret === undefined ? { items: command.items } : { items: command.items, ret: attributes.ret });
        break;
      default:
        // `!empty` (RouterOS 7.18+) only says the print found nothing; `!done` still follows.
        break;
    }
  }

  private fail(error: RouterOsError): void {
    this.failure ??= error;
    for (const command of [...this.pending.values()]) command.reject(this.failure);
  }
}
