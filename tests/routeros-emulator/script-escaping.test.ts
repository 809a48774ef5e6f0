import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { runScript } from "../../tools/routeros-emulator/script/index.ts";
import { RecordingHost, failureOf, printedBy } from "./script-test-host.ts";

describe("script strings and escapes", () => {
  it("turns every named escape into its character", async () => {
    assert.deepEqual(await printedBy(':put "q\\"b\\\\d\\$e\\?s\\_t\\tn\\nr\\r"'), ['q"b\\d$e?s t\tn\nr\r']);
    assert.deepEqual(await printedBy(':put "\\a\\b\\f\\v"'), ["\x07\b\f\v"]);
  });

  it("reads upper-case hex escapes as characters and lower-case letters as named escapes", async () => {
    assert.deepEqual(await printedBy(':put "\\48\\45\\4C\\4C\\4F"'), ["HELLO"]);
    assert.deepEqual(await printedBy(':put "\\ab"'), ["\x07b"]);
  });

  it("rejects escapes RouterOS does not know, naming them and where they are", async () => {
    const error = await failureOf(':put "ok"\n:put "bad \\q"');
    assert.match(error.message, /unknown escape "\\q".*line 2 column 11/);
    assert.match((await failureOf(':put "\\C3\\A9"')).message, /non-ASCII byte/);
  });

  it("keeps # and ; inside strings and drops comments outside them", async () => {
    assert.deepEqual(await printedBy('# a comment\n:put "a # b; c" # trailing\n:put "d"'), ["a # b; c", "d"]);
  });

  it("reads Windows line endings and counts lines across them", async () => {
    assert.deepEqual(await printedBy(':local a "x"\r\n:put $a\r\n'), ["x"]);
    assert.match((await failureOf(":put 1\r\n:put 2\r\n:delay 1s")).message, /\(line 3 column 1\)$/);
  });

  it("takes # inside an unquoted value as part of it", async () => {
    const host = new RecordingHost();
    await runScript("/tool fetch url=http://127.0.0.1/page#top output=none", {}, host);
    assert.equal(host.requests[0]?.url, "http://127.0.0.1/page#top");
  });

  it("joins lines ended by a backslash, inside and outside strings", async () => {
    assert.deepEqual(await printedBy(':put ("one " . \\\n    "two")\n:put "three \\\n    four"'), ["one two", "three four"]);
  });

  it("prints a dollar only when it is escaped", async () => {
    assert.deepEqual(await printedBy(':local d "x"; :put "\\$d=$d"'), ["$d=x"]);
    assert.match((await failureOf(':put "cost: $ 5"')).message, /write \\\$ for a dollar sign/);
  });

  it("substitutes variables, $( ) and $[ ] inside strings", async () => {
    assert.deepEqual(await printedBy(':local n "abc"; :put "$n has $[:len $n] chars, $($n . "!")"'), ["abc has 3 chars, abc!"]);
  });

  it("passes hostile host names through variables untouched", async () => {
    const hostname = 'a"b\\c$d';
    const printed = await printedBy(
      ':put $"lease-hostname"\n:put "<$leaseHost>"\n:put ("[" . $"lease-hostname" . "]")\n:put [:len $"lease-hostname"]',
      { "lease-hostname": hostname, leaseHost: hostname },
    );
    assert.deepEqual(printed, [hostname, `<${hostname}>`, `[${hostname}]`, "7"]);
  });

  it("does not expand $ inside a variable's value a second time", async () => {
    assert.deepEqual(await printedBy(':local secret "no"; :put "$value"', { value: "$secret" }), ["$secret"]);
  });

  it("fails on an unterminated string", async () => {
    assert.match((await failureOf(':put "open')).message, /unterminated string \(line 1 column 6\)/);
  });
});
