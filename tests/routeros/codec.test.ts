import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeLength, encodeLength, encodeSentence, SentenceDecoder } from "../../tools/routeros/codec.ts";
import { RouterOsProtocolError } from "../../tools/routeros/errors.ts";

test("each length uses the shortest of the five prefix forms", () => {
  const cases: [number, string][] = [
    [0, "00"],
    [0x7f, "7f"],
    [0x80, "8080"],
    [0x3fff, "bfff"],
    [0x4000, "c04000"],
    [0x1fffff, "dfffff"],
    [0x200000, "e0200000"],
    [0xfffffff, "efffffff"],
    [0x10000000, "f010000000"],
  ];
  for (const [length, hex] of cases) assert.equal(encodeLength(length).toString("hex"), hex, `length ${length}`);
});

test("a decoded length prefix gives back the encoded length", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (length) => {
      const prefix = encodeLength(length);
      assert.deepEqual(decodeLength(prefix, 0), { length, prefixBytes: prefix.length });
      assert.equal(decodeLength(prefix.subarray(0, prefix.length - 1), 0), undefined);
    }),
  );
});

const word = fc.string({ unit: "binary", minLength: 1, maxLength: 300 });
const sentence = fc.array(word, { minLength: 1, maxLength: 8 });

test("sentences survive any split of the byte stream into chunks", () => {
  fc.assert(
    fc.property(fc.array(sentence, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (sentences, cuts) => {
      const stream = Buffer.concat(sentences.map((words) => encodeSentence(words)));
      const boundaries = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
      const decoder = new SentenceDecoder();
      const decoded: string[][] = [];
      let start = 0;
      for (const end of [...boundaries, stream.length]) {
        decoded.push(...decoder.push(stream.subarray(start, end)));
        start = end;
      }
      assert.deepEqual(decoded, sentences);
      assert.equal(decoder.hasPartialSentence, false);
    }),
  );
});

test("words of every prefix size round-trip one byte at a time at the boundaries", () => {
  for (const size of [0x7f, 0x80, 0x3fff, 0x4000, 0x200000]) {
    const words = ["!re", `=x=${"a".repeat(size - 3)}`];
    const stream = encodeSentence(words);
    const decoder = new SentenceDecoder();
    const head = decoder.push(stream.subarray(0, 7));
    assert.deepEqual(head, []);
    assert.deepEqual(decoder.push(stream.subarray(7)), [words]);
  }
});

test("a control byte is rejected with a protocol error", () => {
  for (const byte of [0xf8, 0xfc, 0xff]) {
    assert.throws(() => new SentenceDecoder().push(Buffer.from([byte, 0])), RouterOsProtocolError);
  }
});

test("an oversized word is rejected on decode and on encode", () => {
  const decoder = new SentenceDecoder({ maxWordBytes: 100 });
  assert.throws(() => decoder.push(encodeLength(101)), /exceeds the 100-byte limit/);
  assert.throws(() => encodeSentence(["x".repeat(101)], 100), RouterOsProtocolError);
});
