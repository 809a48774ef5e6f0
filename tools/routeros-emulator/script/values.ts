import { ScriptError, type SourcePosition } from "./errors.ts";

/**
 * A script value. `ip` (`192.0.2.3`) and `time` (`10s`, `1d2h`, `00:05:00`) come from literals
 * written in a script; ip-prefix and id values are not modelled. An `array` only appears as the
 * result of `/tool fetch ... as-value` or of a menu's `find`.
 */
export type Value =
  | { readonly type: "str"; readonly value: string }
  | { readonly type: "num"; readonly value: bigint }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "ip"; readonly value: string }
  | { readonly type: "time"; readonly seconds: number }
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
const IP_LITERAL = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const TIME_UNITS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
const TIME_WITH_UNITS = /^(?:\d+[wdhms])+$/;
const TIME_OF_DAY = /^(?:(\d+)w)?(?:(\d+)d)?(\d+):([0-5]\d):([0-5]\d)$/;

/** `192.0.2.3` as RouterOS reads an IP address literal; undefined when `text` is not one. */
export function parseIpLiteral(text: string): Value | undefined {
  return IP_LITERAL.test(text) ? { type: "ip", value: text } : undefined;
}

/** `10s`, `1d2h`, `00:05:00` or `1d02:00:00` as RouterOS reads a time literal; undefined when `text` is not one. */
export function parseTimeLiteral(text: string): Value | undefined {
  const clock = TIME_OF_DAY.exec(text);
  if (clock) {
    const [weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = clock.slice(1).map((part) => Number(part ?? 0));
    return { type: "time", seconds: weeks * 604800 + days * 86400 + hours * 3600 + minutes * 60 + seconds };
  }
  if (!TIME_WITH_UNITS.test(text)) return undefined;
  let seconds = 0;
  for (const [, count, unit] of text.matchAll(/(\d+)([wdhms])/g)) seconds += Number(count) * (TIME_UNITS[unit ?? ""] ?? 0);
  return { type: "time", seconds };
}

/** A time as RouterOS prints it: `00:00:10`, `1d02:00:00`, `1w2d03:04:05`. */
function formatTime(total: number): string {
  const weeks = Math.floor(total / 604800);
  const days = Math.floor((total % 604800) / 86400);
  const rest = total % 86400;
  const clock = [Math.floor(rest / 3600), Math.floor((rest % 3600) / 60), rest % 60].map((part) => String(part).padStart(2, "0")).join(":");
  return `${weeks > 0 ? `${weeks}w` : ""}${days > 0 ? `${days}d` : ""}${clock}`;
}

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
    case "ip":
      return value.value;
    case "time":
      return formatTime(value.seconds);
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
  if (left.type === "time" && right.type === "time") return Math.sign(left.seconds - right.seconds);
  if (left.type === "ip" && right.type === "ip") return Math.sign(ipNumber(left.value) - ipNumber(right.value));
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

function ipNumber(address: string): number {
  return address.split(".").reduce((total, octet) => total * 256 + Number(octet), 0);
}
