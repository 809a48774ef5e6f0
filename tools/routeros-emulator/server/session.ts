import type { Socket } from "node:net";
import { encodeSentence, encodeSentences, SentenceDecoder, type Sentence } from "../../routeros/codec.ts";
import { attributeWord, TAG_PREFIX } from "../../routeros/words.ts";
import type { CommandReply } from "../engine/menu-engine.ts";
import { parseRequest, type Request } from "../engine/request.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import type { Router } from "../router.ts";
import { versionAtLeast } from "../version.ts";
import { checkChallengeResponse, checkPassword, LOGIN_FAILED, newChallenge } from "./login.ts";

export interface SessionOptions {
  router: Router;
  /** Answer every `/login` with an MD5 challenge, as RouterOS before 6.43 did. */
  legacyLogin: boolean;
}

/** One API connection: login, then commands, each answered with the tag it came with. */
export class Session {
  private readonly decoder = new SentenceDecoder();
  private user: string | undefined;
  private challenge: string | undefined;
  private sessionId: number | undefined;
  /** Commands still running, by tag, so `/cancel` can stop them. */
  private readonly running = new Map<string, AbortController>();

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
    if (request.tag !== undefined) this.running.set(request.tag, controller);
    try {
      const reply = await this.options.router.execute(request, controller.signal);
      this.sendReply(reply, request.tag);
    } catch (error) {
      // A bug in the emulator must show up in the client's reply, not kill every session.
      const trap = error instanceof Trap ? error : new Trap(`failure: ${(error as Error).message}`, TrapCategory.general);
      this.sendTrap(trap, request.tag);
    } finally {
      if (request.tag !== undefined) this.running.delete(request.tag);
    }
  }

  private login(request: Request): void {
    const name = request.args.get("name");
    const password = request.args.get("password");
    const response = request.args.get("response");
    if (name !== undefined && response !== undefined && this.challenge !== undefined) {
      this.finishLogin(checkChallengeResponse(this.state, name, this.challenge, response), name, request.tag);
    } else if (name !== undefined && password !== undefined && !this.options.legacyLogin) {
      this.finishLogin(checkPassword(this.state, name, password), name, request.tag);
    } else {
      this.challenge = newChallenge();
      this.send(["!done", attributeWord("ret", this.challenge)], request.tag);
    }
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

  private cancel(request: Request): void {
    const target = request.args.get("tag");
    if (target === undefined) {
      for (const controller of this.running.values()) controller.abort();
    } else {
      const controller = this.running.get(target);
      if (!controller) {
        this.sendTrap(new Trap("unknown command tag", TrapCategory.missingItem), request.tag);
        return;
      }
      controller.abort();
    }
    this.send(["!done"], request.tag);
  }

  private sendReply(reply: CommandReply, tag: string | undefined): void {
    // Each row starts out tagged, rather than being copied once more to insert the tag.
    const sentences: string[][] = reply.items.map((item) => {
      const words = tagged(["!re"], tag);
      for (const name in item) words.push(attributeWord(name, item[name] ?? ""));
      return words;
    });
    if (reply.isPrint && reply.items.length === 0 && reply.ret === undefined && versionAtLeast(this.options.router.version, "7.18")) {
      sentences.push(tagged(["!empty"], tag));
    }
    sentences.push(tagged(reply.ret === undefined ? ["!done"] : ["!done", attributeWord("ret", reply.ret)], tag));
    this.write(encodeSentences(sentences));
  }

  private sendTrap(trap: Trap, tag: string | undefined): void {
    const words = [
      "!trap",
      ...(trap.category === undefined ? [] : [attributeWord("category", String(trap.category))]),
      attributeWord("message", trap.message),
    ];
    this.write(encodeSentences([tagged(words, tag), tagged(["!done"], tag)]));
  }

  private send(words: string[], tag: string | undefined): void {
    this.write(encodeSentence(tagged(words, tag)));
  }

  /** Replies to a client that has gone (or was sent `!fatal`) are dropped. */
  private write(bytes: Buffer): void {
    if (this.socket.writable) this.socket.write(bytes);
  }

  /** `!fatal` is the last thing RouterOS sends before it closes the connection. */
  private fatal(message: string): void {
    this.socket.end(encodeSentence(["!fatal", message]));
  }

  private end(): void {
    for (const controller of this.running.values()) controller.abort();
    if (this.sessionId !== undefined) this.state.closeSession(this.sessionId);
  }
}

/** A reply carries the request's tag right after its type word; untagged requests get untagged replies. */
function tagged(words: string[], tag: string | undefined): string[] {
  if (tag === undefined) return words;
  const [type = "", ...rest] = words;
  return [type, TAG_PREFIX + tag, ...rest];
}
