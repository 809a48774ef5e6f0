import { RouterOsProtocolError } from "./errors.ts";

/** A sentence is the list of its words, without the terminating empty word. */
export type Sentence = string[];

/** Words longer than this are refused unless a decoder or encoder is told otherwise. */
export const DEFAULT_MAX_WORD_BYTES = 16 * 1024 * 1024;

/** The largest length the five-byte form can carry. */
const MAX_ENCODABLE_LENGTH = 0xffffffff;

/** Encodes a word length with the shortest of RouterOS's five big-endian prefixes. */
export function encodeLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > MAX_ENCODABLE_LENGTH) {
    throw new RouterOsProtocolError(`word length ${length} cannot be encoded`);
  }
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(length | 0x8000);
    return prefix;
  }
  if (length < 0x200000) {
    const value = length | 0xc00000;
    return Buffer.from([(value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
  }
  if (length < 0x10000000) {
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE((length | 0xe0000000) >>> 0);
    return prefix;
  }
  const prefix = Buffer.alloc(5);
  prefix[0] = 0xf0;
  prefix.writeUInt32BE(length, 1);
  return prefix;
}

/** Encodes one sentence: each word with its length prefix, then the empty terminating word. */
export function encodeSentence(words: readonly string[], maxWordBytes = DEFAULT_MAX_WORD_BYTES): Buffer {
  const parts: Buffer[] = [];
  for (const word of words) {
    const bytes = Buffer.from(word, "utf8");
    if (bytes.length > maxWordBytes) {
      throw new RouterOsProtocolError(`word of ${bytes.length} bytes exceeds the ${maxWordBytes}-byte limit`);
    }
    parts.push(encodeLength(bytes.length), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
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
  private pending: Buffer = Buffer.alloc(0);
  private words: string[] = [];
  private readonly maxWordBytes: number;

  constructor(options: { maxWordBytes?: number } = {}) {
    this.maxWordBytes = options.maxWordBytes ?? DEFAULT_MAX_WORD_BYTES;
  }

  /** Feeds one chunk and returns every sentence it completed, in order. */
  push(chunk: Buffer): Sentence[] {
    const buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const sentences: Sentence[] = [];
    let offset = 0;
    for (;;) {
      const header = decodeLength(buffer, offset);
      if (header === undefined) break;
      if (header.length > this.maxWordBytes) {
        throw new RouterOsProtocolError(`word of ${header.length} bytes exceeds the ${this.maxWordBytes}-byte limit`);
      }
      const start = offset + header.prefixBytes;
      const end = start + header.length;
      if (end > buffer.length) break;
      offset = end;
      if (header.length === 0) {
        sentences.push(this.words);
        this.words = [];
      } else {
        this.words.push(buffer.toString("utf8", start, end));
      }
    }
    this.pending = offset === buffer.length ? Buffer.alloc(0) : buffer.subarray(offset);
    return sentences;
  }

  /** True when a sentence or word has started but not finished. */
  get hasPartialSentence(): boolean {
    return this.pending.length > 0 || this.words.length > 0;
  }
}
