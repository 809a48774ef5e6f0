import { ScriptError, type SourcePosition } from "./errors.ts";

/**
 * A script value. RouterOS types that scripts of this project never need
 * (ip, ip-prefix, time, id) are not modelled; an `array` only appears as the
 * result of `/tool fetch ... as-value` or of a menu's `find`.
 */
export type Value =
  | { readonly type: "str"; readonly value: string }
  | { readonly type: "num"; readonly value: bigint }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "nil" }
  | { readonly type: "array"; readonly entries: ReadonlyMap<string, Value> };

export const NIL: Value = { type: "nil" };

export function str(value: string): Value {
  return { type: "str", value };
}

export function num(value: bigint): Value {
  // RouterOS numbers are 64-bit signed integers and wrap like them.
  return { type: "num", value: BigInt.asIntN(64, value) };
}

export function bool(value: boolean): Value {
  return { type: "bool", value };
}

const INTEGER_LITERAL = /^-?(?:0x[0-9a-fA-F]+|[0-9]+)$/;

/** Parses `12`, `-3` or `0x1F` the way RouterOS reads a number; anything else is not one. */
export function parseInteger(text: string): bigint | undefined {
  if (!INTEGER_LITERAL.test(text)) return undefined;
  const negative = text.startsWith("-");
  const magnitude = BigInt(negative ? text.slice(1) : text);
  return negative ? -magnitude : magnitude;
}

/** The text RouterOS prints for a value (`:put`, `:tostr`, concatenation). */
export function toText(value: Value): string {
  switch (value.type) {
    case "str":
      return value.value;
    case "num":
      return value.value.toString();
    case "bool":
      return value.value ? "true" : "false";
    case "nil":
      return "";
    case "array":
      return [...value.entries].map(([key, entry]) => `${key}=${toText(entry)}`).join(";");
  }
}

/** A number, or a string holding an integer literal (how lease variables such as `leaseBound` arrive). */
export function toInteger(value: Value, context: string, position: SourcePosition): bigint {
  if (value.type === "num") return value.value;
  if (value.type === "str") {
    const parsed = parseInteger(value.value);
    if (parsed !== undefined) return parsed;
  }
  throw new ScriptError(`${context} expects a number, got ${describe(value)}`, position);
}

export function toBoolean(value: Value, context: string, position: SourcePosition): boolean {
  if (value.type === "bool") return value.value;
  throw new ScriptError(`${context} expects true or false, got ${describe(value)}`, position);
}

/** `=` and `!=`: equal types compare by value; a number equals a string holding the same integer. */
export function valuesEqual(left: Value, right: Value): boolean {
  const numeric = numericPair(left, right);
  if (numeric) return numeric[0] === numeric[1];
  if (left.type !== right.type) return false;
  if (left.type === "nil") return true;
  return toText(left) === toText(right);
}

/** `<`, `>`, `<=`, `>=`: numbers numerically (numeric strings included), strings by character code. */
export function compareValues(left: Value, right: Value, operator: string, position: SourcePosition): number {
  const numeric = numericPair(left, right);
  if (numeric) return numeric[0] < numeric[1] ? -1 : numeric[0] > numeric[1] ? 1 : 0;
  if (left.type === "str" && right.type === "str") {
    return left.value < right.value ? -1 : left.value > right.value ? 1 : 0;
  }
  throw new ScriptError(`cannot compare ${describe(left)} with ${describe(right)} using ${operator}`, position);
}

function numericPair(left: Value, right: Value): [bigint, bigint] | undefined {
  if (left.type !== "num" && right.type !== "num") return undefined;
  const leftNumber = left.type === "num" ? left.value : left.type === "str" ? parseInteger(left.value) : undefined;
  const rightNumber = right.type === "num" ? right.value : right.type === "str" ? parseInteger(right.value) : undefined;
  return leftNumber === undefined || rightNumber === undefined ? undefined : [leftNumber, rightNumber];
}

export function describe(value: Value): string {
  if (value.type === "str") return `str "${value.value}"`;
  if (value.type === "nil" || value.type === "array") return value.type;
  return `${value.type} ${toText(value)}`;
}
