import assert from "node:assert/strict";
import { describe, it } from "node:test";

import fc from "fast-check";

import { printedBy, quoteForScript } from "./script-test-host.ts";

/** Any text at all, including quotes, backslashes, `$`, control characters and lone surrogates. */
const anyText = fc.string({ unit: "binary", maxLength: 40 });

describe("script strings, property-based", () => {
  it("keeps any variable's value unchanged through every way of concatenating it", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, fc.string({ maxLength: 5 }), async (value, side) => {
        const script = [
          ':put "$v"',
          ':put ("" . $v)',
          ":put ($v . $side . $v)",
          ':put "[$side$v$side]"',
          ":local copy $v; :put [:tostr $copy]",
          ":put [:pick $v 0 [:len $v]]",
        ].join("\n");
        const printed = await printedBy(script, { v: value, side });
        assert.deepEqual(printed, [value, value, value + side + value, `[${side}${value}${side}]`, value, value]);
      }),
    );
  });

  it("reads back any text written as an escaped string literal", async () => {
    await fc.assert(
      fc.asyncProperty(anyText, async (value) => {
        assert.deepEqual(await printedBy(`:put ${quoteForScript(value)}`), [value]);
      }),
    );
  });

  it("builds valid JSON from any printable host name with a :pick/:len escaping loop", async () => {
    const printable = anyText.filter((text) => !/[\u0000-\u001f]/.test(text));
    const script = `:local safe ""
:for i from=0 to=([:len $host] - 1) do={
  :local char [:pick $host $i]
  :if ($char = "\\"" || $char = "\\\\") do={ :set safe ($safe . "\\\\") }
  :set safe ($safe . $char)
}
:put ("{\\"hostname\\":\\"" . $safe . "\\"}")`;
    await fc.assert(
      fc.asyncProperty(printable, async (host) => {
        const [json] = await printedBy(script, { host });
        assert.deepEqual(JSON.parse(json ?? ""), { hostname: host });
      }),
    );
  });
});
