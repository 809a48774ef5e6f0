/**
 * The emulator holds every value as the bytes a client sent, one character per byte (see
 * `WordEncoding`). Text that reaches it from elsewhere (options, the command line) becomes
 * the bytes a UTF-8 client would have sent, and leaves as those bytes again.
 */
export function byteString(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

/** The bytes a byte string stands for, e.g. to write it to a file or an HTTP body. */
export function bytesOf(value: string): Buffer {
  return Buffer.from(value, "latin1");
}
