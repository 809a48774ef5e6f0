import { RouterOsProtocolError } from "./errors.ts";

/** A sentence is the list of its words, without the terminating empty word. */
export type Sentence = string[];

/** Words longer than this are refused unless a decoder or encoder is told otherwise. */
export const DEFAULT_MAX_WORD_BYTES = 16 * 1024 * 1024;

/**
 * How words turn into text. RouterOS keeps the bytes it is given and has no encoding of its own:
 * `utf8` is what a client that speaks UTF-8 reads and writes; `latin1` maps each byte to one
 * character (U+0000 to U+00FF) and back, so a word of any encoding round-trips unchanged, as on
 * a router.
 */
export type WordEncoding = "utf8" | "latin1";

/** The largest length the five-byte form can carry. */
const MAX_ENCODABLE_LENGTH = 0xffffffff;

/** Encodes a word length with the shortest of RouterOS's five big-endian prefixes. */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > MAX_ENCODABLE_LENGTH) {
    throw new RouterOsProtocolError(`word length ${length} cannot be encoded`);
  }
  const prefix = Buffer.alloc(5);
  return prefix.subarray(0, writeLength(prefix, 0, length));
}

/** Writes the length prefix at `offset`; returns the offset after it. */
function writeLength(buffer: Buffer, offset: number, length: number): number {
  if (length < 0x80) {
    buffer[offset] = length;
    return offset + 1;
  }
  if (length < 0x4000) {
    buffer.writeUInt16BE(length | 0x8000, offset);
    return offset + 2;
  }
  if (length < 0x200000) {
    buffer.writeUIntBE(length | 0xc00000, offset, 3);
    return offset + 3;
  }
  if (length < 0x10000000) {
    buffer.writeUInt32BE((length | 0xe0000000) >>> 0, offset);
    return offset + 4;
  }
  buffer[offset] = 0xf0;
  buffer.writeUInt32BE(length, offset + 1);
  return offset + 5;
}

/** Encodes one sentence: each word with its length prefix, then the empty terminating word. */
export function encodeSentence(words: readonly string[], maxWordBytes = DEFAULT_MAX_WORD_BYTES, encoding: WordEncoding = "utf8"): Buffer {
  return encodeSentences([words], maxWordBytes, encoding);
}

/** Encodes several sentences into one buffer, so a long reply is a single socket write. */
export function encodeSentences(
  sentences: readonly (readonly string[])[],
  maxWordBytes = DEFAULT_MAX_WORD_BYTES,
  encoding: WordEncoding = "utf8",
): Buffer {
  let buffer: Buffer = Buffer.allocUnsafe(4096);
  let offset = 0;
  for (const words of sentences) {
    for (const word of words) {
      const length = encoding === "latin1" ? word.length : Buffer.byteLength(word, "utf8");
      if (length > maxWordBytes) {
        throw new RouterOsProtocolError(`word of ${length} bytes exceeds the ${maxWordBytes}-byte limit`);
      }
      // Room for the word, its prefix (at most 5 bytes) and a sentence end.
      if (offset + length + 6 > buffer.length) buffer = grow(buffer, offset + length + 6);
      offset = writeLength(buffer, offset, length);
      // An ASCII word has as many bytes as characters, and latin1 copies it fastest.
      offset += buffer.write(word, offset, length, length === word.length ? "latin1" : "utf8");
    }
    if (offset + 1 > buffer.length) buffer = grow(buffer, offset + 1);
    buffer[offset++] = 0;
  }
  return buffer.subarray(0, offset);
}

function grow(buffer: Buffer, needed: number): Buffer {
  const larger = Buffer.allocUnsafe(Math.max(needed, buffer.length * 2));
  buffer.copy(larger);
  return larger;
}

/**
 * Reads the length prefix at `offset`. Returns the word length and the prefix size, or
 * undefined when the buffer ends inside the prefix.
 */
export function decodeLength(buffer: Buffer, offset: number): { length: number; prefixBytes: number } | undefined {
  const first = buffer[offset];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, prefixBytes: 1 };
  if (first >= 0xf8) {
    throw new RouterOsProtocolError(`control byte 0x${first.toString(16)} in the word stream`);
  }
  const prefixBytes = first < 0xc0 ? 2 : first < 0xe0 ? 3 : first < 0xf0 ? 4 : 5;
  if (offset + prefixBytes > buffer.length) return undefined;
  switch (prefixBytes) {
    case 2:
      return { length: buffer.readUInt16BE(offset) & 0x3fff, prefixBytes };
    case 3:
      return { length: ((first & 0x1f) << 16) | buffer.readUInt16BE(offset + 1), prefixBytes };
    case 4:
      return { length: buffer.readUInt32BE(offset) & 0x0fffffff, prefixBytes };
    default:
      if (first !== 0xf0) throw new RouterOsProtocolError(`invalid length prefix 0x${first.toString(16)}`);
      return { length: buffer.readUInt32BE(offset + 1), prefixBytes };
  }
}

/**
 * Turns a byte stream into sentences. TCP may cut a word or a sentence anywhere, so bytes
 * that do not yet form a whole word stay buffered until the next chunk.
 */
export class SentenceDecoder {
  /** Received bytes not yet decoded, kept as the chunks they came in. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /**
   * How many pending bytes the next word needs before decoding can go on. Joining the chunks
   * only then keeps a large word arriving in many chunks linear instead of quadratic.
   */
  private neededBytes = 1;
  private words: string[] = [];
  private readonly maxWordBytes: number;
  private readonly encoding: WordEncoding;

  constructor(options: { maxWordBytes?: number; encoding?: WordEncoding } = {}) {
    this.maxWordBytes = options.maxWordBytes ?? DEFAULT_MAX_WORD_BYTES;
    this.encoding = options.encoding ?? "utf8";
  }

  /** Feeds one chunk and returns every sentence it completed, in order. */
  push(chunk: Buffer): Sentence[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.neededBytes) return [];
    const buffer = this.pending.length === 1 ? chunk : Buffer.concat(this.pending, this.pendingBytes);
    const sentences: Sentence[] = [];
    let offset = 0;
    // Until a whole length prefix is in, any further byte may complete it.
    let neededBytes = buffer.length + 1;
    for (;;) {
      const header = decodeLength(buffer, offset);
      if (header === undefined) break;
      if (header.length > this.maxWordBytes) {
        throw new RouterOsProtocolError(`word of ${header.length} bytes exceeds the ${this.maxWordBytes}-byte limit`);
      }
      const start = offset + header.prefixBytes;
      const end = start + header.length;
      if (end > buffer.length) {
        neededBytes = end;
        break;
      }
      offset = end;
      if (header.length === 0) {
        sentences.push(this.words);
        this.words = [];
      } else {
        this.words.push(buffer.toString(this.encoding, start, end));
      }
    }
    this.pending = offset === buffer.length ? [] : [buffer.subarray(offset)];
    this.pendingBytes = buffer.length - offset;
    this.neededBytes = neededBytes - offset;
    return sentences;
  }

  /** True when a sentence or word has started but not finished. */
  get hasPartialSentence(): boolean {
    return this.pendingBytes > 0 || this.words.length > 0;
  }
}
