import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { runScript } from "../../tools/routeros-emulator/script/index.ts";
import { RecordingHost, failureOf, printedBy } from "./script-test-host.ts";

describe("script variable scoping", () => {
  it("reads pre-set variables by plain and quoted name", async () => {
    const printed = await printedBy(':put $leaseBound; :put $"lease-hostname"', { leaseBound: "1", "lease-hostname": "pc" });
    assert.deepEqual(printed, ["1", "pc"]);
  });

  it("keeps a :local inside its block", async () => {
    const error = await failureOf('{ :local inner "x" }\n:put $inner');
    assert.match(error.message, /\$inner: no such variable .*line 2 column 6/);
  });

  it("lets :set change a variable declared in an enclosing block", async () => {
    const printed = await printedBy(":local n 1; :if (true) do={ :set n ($n + 1); :set $n ($n + 1) }; :put $n");
    assert.deepEqual(printed, ["3"]);
  });

  it("shadows an outer variable with a :local of the same name", async () => {
    assert.deepEqual(await printedBy(':local a "outer"; { :local a "inner"; :put $a }; :put $a'), ["inner", "outer"]);
  });

  it("refuses an undeclared variable before anything runs, even inside :do", async () => {
    const host = new RecordingHost();
    const script = ':put "first"\n:do { :put $typo } on-error={ :put "caught" }';
    await assert.rejects(runScript(script, {}, host), /\$typo: no such variable .*\(line 2 column 12\)/);
    assert.deepEqual(host.printed, []);
  });

  it("sees a variable only after the line that declares it", async () => {
    assert.match((await failureOf(":put $later\n:local later 1")).message, /\$later: no such variable/);
  });

  it("refuses :set on a name nobody declared", async () => {
    assert.match((await failureOf(":set missing 1")).message, /:set missing: no such variable/);
  });

  it("keeps the :for variable inside the loop", async () => {
    assert.match((await failureOf(":for i from=1 to=2 do={ }\n:put $i")).message, /\$i: no such variable/);
  });

  it("keeps globals in the host's map across runs, visible only where declared", async () => {
    const globals = new Map<string, string>();
    await runScript(":global counter 41; :global counter; :set counter ($counter + 1)", {}, new RecordingHost(undefined, globals));
    assert.equal(globals.get("counter"), "42");

    const second = new RecordingHost(undefined, globals);
    await runScript(":global counter; :put $counter", {}, second);
    assert.deepEqual(second.printed, ["42"]);

    assert.match((await failureOf(":put $counter", new RecordingHost(undefined, globals))).message, /\$counter: no such variable/);
  });

  it("gives a declared global without a value nil, which prints as nothing", async () => {
    assert.deepEqual(await printedBy(':global fresh; :put ("[" . $fresh . "]"); :put [:typeof $fresh]'), ["[]", "nil"]);
  });
});
