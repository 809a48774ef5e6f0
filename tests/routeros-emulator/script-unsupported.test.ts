import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { runScript } from "../../tools/routeros-emulator/script/index.ts";
import { RecordingHost, failureOf } from "./script-test-host.ts";

/** Each line starts at column 1 of line 2, after a `:put` that must never run. */
const UNSUPPORTED: readonly (readonly [string, RegExp])[] = [
  [':toarray "a,b"', /:toarray is not supported/],
  [":delay 1s", /:delay is not supported/],
  [":return 1", /:return is not supported/],
  ["/ip dhcp-server lease print", /\/ip dhcp-server lease print is not supported/],
  ["/system/identity/print", /\/system identity print is not supported \(menu commands must end in one of add, set/],
  ["/ip hotspot user find where name=x", /"where" is not supported; give the properties to match as name=value/],
  ["$myFunction a=1", /calling \$myFunction as a function is not supported/],
  [":put (2 * 3)", /operator "\*" is not supported/],
  [":put (2 ^ 3)", /operator "\^" is not supported/],
  [":put (1, 2)", /operator "," is not supported/],
  [":put (10.0.0.1.5)", /literal "10\.0\.0\.1\.5" is not supported/],
  [":local net 10.0.0.0/24", /literal "10\.0\.0\.0\/24" is not supported/],
  [":do { } while=(false)", /:do \.\.\. while= is not supported/],
  [':log critical "x"', /:log topic must be one of info, warning, error, debug/],
  [':put "a" "b"', /:put: an extra value is not supported/],
  [":if (true) do={ } when=1", /:if: argument "when" is not supported/],
  ['/tool fetch url="http://127.0.0.1/" mode=http output=none', /\/tool fetch: argument "mode" is not supported/],
  ['/tool fetch url="http://127.0.0.1/" dst-path=x output=none', /\/tool fetch: argument "dst-path" is not supported/],
  [":put $a$b", /\$b written right after a value/],
  [":put (1 = 1 = 1)", /chained comparisons are not supported/],
];

describe("script constructs outside the subset", () => {
  for (const [line, expected] of UNSUPPORTED) {
    it(`fails loudly on ${line}, before anything runs`, async () => {
      const host = new RecordingHost();
      const error = await failureOf(`:put "ran"\n${line}`, host);
      assert.match(error.message, expected);
      assert.equal(error.position?.line, 2);
      assert.deepEqual(host.printed, [], "nothing may run when the script cannot be read");
    });
  }

  it("cannot be caught by on-error=, since the script is read before it runs", async () => {
    const host = new RecordingHost();
    await assert.rejects(runScript(':do { :delay 1s } on-error={ :put "caught" }', {}, host), /:delay is not supported/);
    assert.deepEqual(host.printed, []);
  });

  it("refuses a fetch that would write a file, at run time", async () => {
    const error = await failureOf('/tool fetch url="http://127.0.0.1/"');
    assert.match(error.message, /would save a file, which is not supported; add output=none or output=user \(line 1 column 1\)/);
  });

  it("refuses an http-method RouterOS does not have", async () => {
    assert.match(
      (await failureOf('/tool fetch url="http://127.0.0.1/" http-method=trace output=none')).message,
      /http-method must be one of get, post, put, delete, head, patch, got "trace"/,
    );
  });
});
