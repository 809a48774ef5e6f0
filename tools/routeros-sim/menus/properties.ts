import type { PropertySchema } from "../engine/schema.ts";
import { formatIpv4, parseIpv4 } from "../../routeros/index.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";

/** Property shapes that many menus share. */
export const comment: PropertySchema = { name: "comment" };
export const disabled: PropertySchema = { name: "disabled", boolean: true, default: "false" };
export const dynamic: PropertySchema = { name: "dynamic", readOnly: true, default: "false" };

export function interfaceReference(name: string, required = false): PropertySchema {
  return { name, references: "/interface", required };
}

/** RouterOS prints MAC addresses as AA:BB:CC:DD:EE:FF and accepts `:`, `-` or `.` between octets. */
export function normalizeMac(value: string): string {
  const hex = value.replace(/[:.-]/g, "");
  if (!/^[0-9A-Fa-f]{12}$/.test(hex)) throw new Trap("invalid value for argument mac-address", TrapCategory.argumentValue);
  return hex.toUpperCase().match(/../g)?.join(":") ?? hex;
}

export const macAddress: PropertySchema = { name: "mac-address", normalize: normalizeMac };

export function ipv4Value(name: string): (value: string) => string {
  return (value) => {
    if (parseIpv4(value) === undefined) throw new Trap(`invalid value for argument ${name}`, TrapCategory.argumentValue);
    return value;
  };
}

/** `A.B.C.D/M` (a bare address means /32), as `/ip/address` takes it. */
export function normalizePrefix(value: string): string {
  const [address = "", length = "32"] = value.split("/");
  const bits = Number(length);
  if (parseIpv4(address) === undefined || !/^\d{1,2}$/.test(length) || bits > 32) {
    throw new Trap("invalid value for argument address", TrapCategory.argumentValue);
  }
  return `${address}/${bits}`;
}

export function networkOf(prefix: string): string {
  const [address = "", length = "32"] = prefix.split("/");
  const bits = Number(length);
  const value = parseIpv4(address) ?? 0;
  const size = 2 ** (32 - bits);
  return formatIpv4(Math.floor(value / size) * size);
}
