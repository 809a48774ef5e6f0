import type { PropertySchema } from "../engine/schema.ts";
import { formatIpv4, parseCidr, parseIpv4 } from "../../routeros/ipv4.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";

/** Property shapes that many menus share. */
export const comment: PropertySchema = { name: "comment" };
export const disabled: PropertySchema = { name: "disabled", boolean: true, default: "false" };
export const dynamic: PropertySchema = { name: "dynamic", readOnly: true, boolean: true, default: "false" };

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

/** `A.B.C.D/M` (a bare address means /32), as `/ip/address` takes it: the host bits stay. */
export function normalizePrefix(value: string): string {
  const network = parseCidr(value);
  const [address = ""] = value.split("/");
  // parseCidr forgives surrounding spaces; RouterOS does not.
  if (network === undefined || parseIpv4(address) === undefined) {
    throw new Trap("invalid value for argument address", TrapCategory.argumentValue);
  }
  return `${address}/${network.prefix}`;
}

/** The network address of a prefix that normalizePrefix accepted. */
export function networkOf(prefix: string): string {
  return formatIpv4(parseCidr(prefix)?.base ?? 0);
}

/** A value that must be one of `accepted`, as RouterOS refuses any other word of an enumerated property. */
export function choice(name: string, accepted: readonly string[]): (value: string) => string {
  return (value) => {
    if (!accepted.includes(value)) throw new Trap(`input does not match any value of ${name}`, TrapCategory.argumentValue);
    return value;
  };
}
