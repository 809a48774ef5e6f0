import { connect, type Socket } from "node:net";
import { encodeSentence, SentenceDecoder, type Sentence, type WordEncoding } from "../../tools/routeros/codec.ts";

/** A bare API connection that shows every reply sentence exactly as the emulator sent it. */
export class RawConnection {
  private readonly decoder: SentenceDecoder;
  private readonly received: Sentence[] = [];
  private waiter: (() => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly encoding: WordEncoding,
  ) {
    this.decoder = new SentenceDecoder({ encoding });
    socket.on("data", (chunk: Buffer) => {
      this.received.push(...this.decoder.push(chunk));
      this.waiter?.();
    });
    socket.on("close", () => this.waiter?.());
  }

  /** `latin1` reads and writes each byte as one character, to see the bytes themselves. */
  static open(port: number, encoding: WordEncoding = "utf8"): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port }, () => resolve(new RawConnection(socket, encoding)));
      socket.once("error", reject);
    });
  }

  /** Sends one sentence and collects replies until `count` `!done` (or `!fatal`) sentences arrived. */
  async request(words: string[], count = 1): Promise<Sentence[]> {
    this.send(words);
    return this.collect(count);
  }

  send(words: string[]): void {
    this.socket.write(encodeSentence(words, undefined, this.encoding));
  }

  async collect(count = 1): Promise<Sentence[]> {
    const finished = (): number => this.received.filter(([type]) => type === "!done" || type === "!fatal").length;
    while (finished() < count && !this.socket.destroyed && !this.socket.readableEnded) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    return this.received.splice(0);
  }

  async login(): Promise<void> {
    await this.request(["/login", "=name=admin", "=password="]);
  }

  close(): void {
    this.socket.destroy();
  }
}
