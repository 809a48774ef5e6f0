import assert from "node:assert/strict";
import { test } from "node:test";
import { compileQuery } from "../../tools/routeros-emulator/engine/query.ts";
import { Trap } from "../../tools/routeros-emulator/engine/trap.ts";

const items: Record<string, string>[] = [
  { ".id": "*1", name: "ether1", type: "ether", mtu: "1500" },
  { ".id": "*2", name: "ether2", type: "ether", mtu: "9000", comment: "uplink" },
  { ".id": "*A", name: "bridge1", type: "bridge", mtu: "1500" },
];

function names(query: string[]): string[] {
  const matches = compileQuery(query);
  return items.filter(matches).map((item) => item.name);
}

test("no query matches everything", () => {
  assert.deepEqual(names([]), ["ether1", "ether2", "bridge1"]);
});

test("equality, in both spellings", () => {
  assert.deepEqual(names(["?type=ether"]), ["ether1", "ether2"]);
  assert.deepEqual(names(["?=type=bridge"]), ["bridge1"]);
});

test("presence and absence of a property", () => {
  assert.deepEqual(names(["?comment"]), ["ether2"]);
  assert.deepEqual(names(["?-comment"]), ["ether1", "bridge1"]);
});

test("less and greater compare numbers, .ids included", () => {
  assert.deepEqual(names(["?>mtu=1500"]), ["ether2"]);
  assert.deepEqual(names(["?<mtu=9000"]), ["ether1", "bridge1"]);
  assert.deepEqual(names(["?>.id=*2"]), ["bridge1"]);
});

test("several words without operations must all hold", () => {
  assert.deepEqual(names(["?type=ether", "?mtu=1500"]), ["ether1"]);
});

test("stack operations: or, and, not, duplicate and positions", () => {
  assert.deepEqual(names(["?name=ether1", "?name=bridge1", "?#|"]), ["ether1", "bridge1"]);
  assert.deepEqual(names(["?type=ether", "?#!"]), ["bridge1"]);
  assert.deepEqual(names(["?type=ether", "?mtu=1500", "?#&!"]), ["ether2", "bridge1"]);
  assert.deepEqual(names(["?type=bridge", "?#.|"]), ["bridge1"]);
  // [ether, comment], then a copy of position 0, negated, or-ed: ether && (comment || !ether).
  assert.deepEqual(names(["?type=ether", "?comment", "?#0!|"]), ["ether2"]);
});

test("a malformed query is an API trap", () => {
  assert.throws(() => names(["?#|"]), Trap);
  assert.throws(() => names(["?type=ether", "?#x"]), Trap);
});
