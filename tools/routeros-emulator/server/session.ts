import type { Socket } from "node:net";
import { setImmediate as nextTurn } from "node:timers/promises";
import { encodeSentence, encodeSentences, SentenceDecoder, type Sentence, type WordEncoding } from "../../routeros/codec.ts";
import { attributeWord, TAG_PREFIX } from "../../routeros/words.ts";
import type { CommandReply } from "../engine/menu-engine.ts";
import { parseRequest, type Request } from "../engine/request.ts";
import { interrupted, Trap, TrapCategory } from "../engine/trap.ts";
import type { Router } from "../router.ts";
import { versionAtLeast } from "../version.ts";
import { checkChallengeResponse, checkPassword, LOGIN_FAILED, newChallenge } from "./login.ts";

export interface SessionOptions {
  router: Router;
  /** Answer every `/login` with an MD5 challenge, as RouterOS before 6.43 did. */
  legacyLogin: boolean;
}

/**
 * RouterOS stores and returns the bytes of a word as it got them, whatever their encoding
 * (MikroTik's API manual: words are byte strings). Each byte is kept as one character.
 */
const WIRE_ENCODING: WordEncoding = "latin1";

/**
 * A long reply goes out a few rows at a time, with a turn of the event loop between, so that
 * clients see it arrive over many reads as they do from a router, not as one write.
 */
const ROWS_PER_WRITE = 32;

/**
 * From 6.45 RouterOS keeps only a hash of each password (MikroTik wiki, Manual:Security, "applies
 * to RouterOS v6.45 and newer"), so it can no longer check an MD5 challenge response; 6.45.1 and
 * later still send the challenge and refuse every response with "invalid user name or password".
 */
const LAST_VERSION_WITHOUT_CHALLENGE_LOGIN = "6.45.1";

/** One API connection: login, then commands, each answered with the tag it came with. */
export class Session {
  private readonly decoder = new SentenceDecoder({ encoding: WIRE_ENCODING });
  private user: string | undefined;
  private challenge: string | undefined;
  private sessionId: number | undefined;
  /** Commands still running, by tag, so `/cancel` can stop them. */
  private readonly running = new Map<string, AbortController>();
  /** Every running command, tagged or not, so that a closed connection stops them all. */
  private readonly controllers = new Set<AbortController>();

  constructor(
    private readonly socket: Socket,
    private readonly options: SessionOptions,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.end());
  }

  private get state() {
    return this.options.router.context.state;
  }

  private receive(chunk: Buffer): void {
    let sentences: Sentence[];
    try {
      sentences = this.decoder.push(chunk);
    } catch (error) {
      this.fatal((error as Error).message);
      return;
    }
    for (const words of sentences) {
      // An empty sentence is a keep-alive; nothing is read after `!fatal`.
      if (words.length > 0 && this.socket.writable) void this.handle(parseRequest(words));
    }
  }

  private async handle(request: Request): Promise<void> {
    if (request.command === "/login") return this.login(request);
    if (this.user === undefined) return this.fatal("not logged in");
    if (request.command === "/quit") return this.fatal("session terminated on request");
    if (request.command === "/cancel") return this.cancel(request);
    const controller = new AbortController();
    this.controllers.add(controller);
    if (request.tag !== undefined) this.running.set(request.tag, controller);
    // A cancelled command's trap goes out at once, before the `!done` of the `/cancel` that ended
    // it; its own `!done` follows (MikroTik's API manual, "/cancel").
    let cancelled = false;
    controller.signal.addEventListener("abort", () => {
      cancelled = true;
      this.write(encodeSentence(trapWords(interrupted(), request.tag), undefined, WIRE_ENCODING));
    });
    try {
      const reply = await this.options.router.execute(request, controller.signal, this.user);
      if (!cancelled) await this.sendReply(reply, request.tag, controller.signal);
      else this.send(["!done"], request.tag);
    } catch (error) {
      if (cancelled) {
        this.send(["!done"], request.tag);
        return;
      }
      // A bug in the emulator must show up in the client's reply, not kill every session.
      const trap = error instanceof Trap ? error : new Trap(`failure: ${(error as Error).message}`, TrapCategory.general);
      this.sendTrap(trap, request.tag);
    } finally {
      this.controllers.delete(controller);
      if (request.tag !== undefined && this.running.get(request.tag) === controller) this.running.delete(request.tag);
    }
  }

  private login(request: Request): void {
    const name = request.args.get("name");
    const password = request.args.get("password");
    const response = request.args.get("response");
    if (name !== undefined && response !== undefined && this.challenge !== undefined) {
      // A 7.x router still sends the challenge to a bare `/login`, then refuses every response to it.
      const accepted = this.acceptsChallengeLogin && checkChallengeResponse(this.state, name, this.challenge, response);
      this.finishLogin(accepted, name, request.tag);
    } else if (name !== undefined && password !== undefined && !this.options.legacyLogin) {
      this.finishLogin(checkPassword(this.state, name, password), name, request.tag);
    } else {
      this.challenge = newChallenge();
      this.send(["!done", attributeWord("ret", this.challenge)], request.tag);
    }
  }

  private get acceptsChallengeLogin(): boolean {
    return this.options.legacyLogin || !versionAtLeast(this.options.router.version, LAST_VERSION_WITHOUT_CHALLENGE_LOGIN);
  }

  private finishLogin(accepted: boolean, name: string, tag: string | undefined): void {
    this.challenge = undefined;
    if (!accepted) {
      this.sendTrap(new Trap(LOGIN_FAILED), tag);
      return;
    }
    this.user = name;
    this.sessionId ??= this.state.openSession({ name, address: this.socket.remoteAddress ?? "", via: "api" });
    this.state.log("system,info,account", `user ${name} logged in from ${this.socket.remoteAddress ?? ""} via api`);
    this.send(["!done"], tag);
  }

  /**
   * `/cancel` stops the command with that tag, or every running one without `=tag=`. A tag that
   * no longer runs is simply done: mikronode and mikronode-ng cancel their finished login
   * channel after every login, and a trap there (untagged) would break them on a real router.
   */
  private cancel(request: Request): void {
    const target = request.args.get("tag");
    const stopping = target === undefined ? [...this.controllers] : [this.running.get(target)].filter((controller) => controller !== undefined);
    for (const controller of stopping) controller.abort();
    this.send(["!done"], request.tag);
  }

  /** The rows, a few at a time; then, for a streaming command, what it streams until cancelled; then `!done`. */
  private async sendReply(reply: CommandReply, tag: string | undefined, signal: AbortSignal): Promise<void> {
    for (let start = 0; start < reply.items.length; start += ROWS_PER_WRITE) {
      if (start > 0) await this.writable();
      if (signal.aborted) break;
      const rows = reply.items.slice(start, start + ROWS_PER_WRITE).map((item) => this.row(item, tag));
      this.write(encodeSentences(rows, undefined, WIRE_ENCODING));
    }
    // A streaming command is always started, so that a cancel during its first rows stops it too.
    if (reply.follow) await reply.follow((item) => this.write(encodeSentence(this.row(item, tag), undefined, WIRE_ENCODING)), signal);
    if (signal.aborted) throw interrupted();
    const sentences: string[][] = [];
    if (reply.isPrint && reply.items.length === 0 && reply.ret === undefined && versionAtLeast(this.options.router.version, "7.18")) {
      sentences.push(tagged(["!empty"], tag));
    }
    sentences.push(tagged(reply.ret === undefined ? ["!done"] : ["!done", attributeWord("ret", reply.ret)], tag));
    this.write(encodeSentences(sentences, undefined, WIRE_ENCODING));
  }

  /** One `!re` sentence; each row starts out tagged, rather than being copied once more to insert the tag. */
  private row(item: Record<string, string>, tag: string | undefined): string[] {
    const words = tagged(["!re"], tag);
    for (const name in item) words.push(attributeWord(name, item[name] ?? ""));
    return words;
  }

  /** Resolves on the next turn of the event loop, once the socket has room again. */
  private async writable(): Promise<void> {
    await nextTurn();
    if (this.socket.writableNeedDrain) {
      await new Promise<void>((resolve) => {
        this.socket.once("drain", resolve);
        this.socket.once("close", resolve);
      });
    }
  }

  private sendTrap(trap: Trap, tag: string | undefined): void {
    const traps = trap.chain.map((each) => trapWords(each, tag));
    this.write(encodeSentences([...traps, tagged(["!done"], tag)], undefined, WIRE_ENCODING));
  }

  private send(words: string[], tag: string | undefined): void {
    this.write(encodeSentence(tagged(words, tag), undefined, WIRE_ENCODING));
  }

  /** Replies to a client that has gone (or was sent `!fatal`) are dropped. */
  private write(bytes: Buffer): void {
    if (this.socket.writable) this.socket.write(bytes);
  }

  /** `!fatal` is the last thing RouterOS sends before it closes the connection. */
  private fatal(message: string): void {
    this.socket.end(encodeSentence(["!fatal", message], undefined, WIRE_ENCODING));
  }

  private end(): void {
    for (const controller of this.controllers) controller.abort();
    if (this.sessionId !== undefined) this.state.closeSession(this.sessionId);
  }
}

function trapWords(trap: Trap, tag: string | undefined): string[] {
  const category = trap.category === undefined ? [] : [attributeWord("category", String(trap.category))];
  return tagged(["!trap", ...category, attributeWord("message", trap.message)], tag);
}

/** A reply carries the request's tag right after its type word; untagged requests get untagged replies. */
function tagged(words: string[], tag: string | undefined): string[] {
  if (tag === undefined) return words;
  const [type = "", ...rest] = words;
  return [type, TAG_PREFIX + tag, ...rest];
}
