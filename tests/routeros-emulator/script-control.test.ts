import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { runScript } from "../../tools/routeros-emulator/script/index.ts";
import { RecordingHost, failureOf, printedBy } from "./script-test-host.ts";

describe("script control flow and built-in commands", () => {
  it("takes the do= or else= branch of :if", async () => {
    const script = ':if ($leaseBound = 1) do={ :put "bound" } else={ :put "released" }';
    assert.deepEqual(await printedBy(script, { leaseBound: "1" }), ["bound"]);
    assert.deepEqual(await printedBy(script, { leaseBound: "0" }), ["released"]);
  });

  it("compares numbers, numeric strings and strings", async () => {
    const printed = await printedBy(
      ':put (2 < 10); :put ("2" < 10); :put ("b" > "a"); :put ("1" = 1); :put ("a" = "a"); :put (1 != 2); :put (3 >= 3); :put (4 <= 3)',
    );
    assert.deepEqual(printed, ["true", "true", "true", "true", "true", "true", "true", "false"]);
  });

  it("combines conditions with && || ! and their word forms", async () => {
    const printed = await printedBy(":put (true && !false); :put (false || 1 = 1); :put (true and false); :put (not (1 = 2) or false)");
    assert.deepEqual(printed, ["true", "true", "false", "true"]);
  });

  it("rejects a condition that is not true or false", async () => {
    assert.match((await failureOf(':if ("yes") do={ }')).message, /:if condition expects true or false, got str "yes"/);
  });

  it("runs on-error= when the :do body fails, and continues after it", async () => {
    const printed = await printedBy(':do { :put "before"; :error "boom"; :put "never" } on-error={ :put "caught" }\n:put "after"');
    assert.deepEqual(printed, ["before", "caught", "after"]);
  });

  it("stops the script on an error outside any :do", async () => {
    const host = new RecordingHost();
    await assert.rejects(runScript(':put "one"; :error "stop here"; :put "two"', {}, host), /^ScriptError: stop here$/);
    assert.deepEqual(host.printed, ["one"]);
  });

  it("runs a :do without on-error= once, letting its error through", async () => {
    assert.match((await failureOf(':do { :put (1 + "x") }')).message, /operator "\+" expects a number, got str "x"/);
  });

  it("counts :for up, down, and by a step, including both ends", async () => {
    assert.deepEqual(await printedBy(":for i from=1 to=3 do={ :put $i }"), ["1", "2", "3"]);
    assert.deepEqual(await printedBy(":for i from=2 to=0 do={ :put $i }"), ["2", "1", "0"]);
    assert.deepEqual(await printedBy(":for i from=0 to=7 step=3 do={ :put $i }"), ["0", "3", "6"]);
  });

  it("loops with :while until its condition turns false", async () => {
    assert.deepEqual(await printedBy(':local s ""; :while ([:len $s] < 3) do={ :set s ($s . "x") }; :put $s'), ["xxx"]);
  });

  it("stops a runaway loop instead of hanging the emulator", async () => {
    assert.equal((await failureOf(":while (true) do={ }")).message, ":while ran more than 100000 iterations (line 1 column 1)");
  });

  it("picks substrings the way RouterOS does", async () => {
    const printed = await printedBy(
      ':put [:pick "abcdef" 1 3]; :put [:pick "abcdef" 2]; :put [:pick "abc" 1 99]; :put ("<" . [:pick "abc" 5] . ">")',
    );
    assert.deepEqual(printed, ["bc", "c", "bc", "<>"]);
  });

  it("finds a substring after the start position, or nil", async () => {
    const printed = await printedBy(
      ':put [:find "abcabc" "b"]; :put [:find "abcabc" "b" 1]; :put [:find "abc" "a" -1]; :put [:typeof [:find "abc" "z"]]',
    );
    assert.deepEqual(printed, ["1", "4", "0", "nil"]);
  });

  it("does integer arithmetic and concatenation", async () => {
    const printed = await printedBy(':local n 5; :put ($n + 2 - 10); :put (-$n); :put ("n=" . $n + 1); :put ($n . $n)');
    assert.deepEqual(printed, ["-3", "-5", "n=6", "55"]);
  });

  it("converts with :tostr, :tonum, :len and :typeof", async () => {
    const printed = await printedBy(
      ':put [:typeof [:tostr 12]]; :put ([:tonum "0x10"] + 1); :put [:typeof [:tonum "abc"]]; :put [:len 12345]; :put [:typeof true]',
    );
    assert.deepEqual(printed, ["str", "17", "nil", "5", "bool"]);
  });

  it("writes :log messages under their topic", async () => {
    const host = new RecordingHost();
    await runScript(':log info "i"; :log warning ("w" . 1); :log error message="e"; :log debug $x', { x: "d" }, host);
    assert.deepEqual(host.logged, [
      { topic: "info", message: "i" },
      { topic: "warning", message: "w1" },
      { topic: "error", message: "e" },
      { topic: "debug", message: "d" },
    ]);
  });

  it("accepts global commands without the leading colon", async () => {
    assert.deepEqual(await printedBy('local a "x"\nput $a'), ["x"]);
  });
});
