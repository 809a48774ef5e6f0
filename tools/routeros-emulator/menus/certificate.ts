import type { MenuSchema } from "../engine/schema.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { choice } from "./properties.ts";

/**
 * `/certificate`: the router's certificate store, the only trust `/tool fetch
 * check-certificate=yes|yes-without-crl` has (manual "Certificates"; built-in anchors aside, see
 * certificateSettings). Items come from `/certificate/import` (commands/certificate-import.ts),
 * which keeps each certificate's PEM in the item, unprinted. `trusted` is set by import or `set`.
 * RouterOS does not export certificates.
 */
export const certificate: MenuSchema = {
  path: "/certificate",
  kind: "list",
  notExported: true,
  properties: [
    { name: "name", unique: true, autoName: "cert" },
    { name: "common-name", readOnly: true },
    { name: "subject-alt-name", readOnly: true },
    { name: "issuer", readOnly: true },
    { name: "serial-number", readOnly: true },
    { name: "fingerprint", readOnly: true },
    { name: "invalid-before", readOnly: true },
    { name: "invalid-after", readOnly: true },
    { name: "authority", readOnly: true, default: "false" },
    { name: "private-key", readOnly: true, default: "false" },
    { name: "trusted", boolean: true, default: "false" },
  ],
};

/** The PEM of an imported certificate, kept in its item but never printed. */
export const CERTIFICATE_PEM = "pem";

/** 7.24's `current-defaults` words (its command tree), the services a trust store can serve. */
const TRUST_STORE_SERVICES = [
  "ipsec",
  "wpa-eap",
  "capsman",
  "fetch",
  "sstp",
  "ovpn",
  "mqtt",
  "email",
  "netwatch",
  "radius",
  "container",
  "userman",
  "lora",
  "wiliot",
  "openflow",
  "tr069",
  "dot1x",
  "dns",
  "www",
  "api",
  "reverse-proxy",
  "logging",
];

function serviceList(value: string): string {
  if (value === "none" || value === "all") return value;
  const unknown = value.split(",").filter((service) => !TRUST_STORE_SERVICES.includes(service));
  if (unknown.length > 0) throw new Trap("input does not match any value of builtin-trust-store", TrapCategory.argumentValue);
  return value;
}

/**
 * `/certificate/settings`. The command trees: 7.12.2 has no built-in trust anchors; 7.19.6 has
 * `builtin-trust-anchors`; 7.24 replaced it with `builtin-trust-store` (beside `current-defaults`,
 * which lists the services, `fetch` among them). Both are off until set: here
 * `builtin-trust-anchors=trusted`, or `builtin-trust-store=fetch` (or `all`), lets fetch trust
 * the built-in anchors (the emulator's are Node's CA bundle).
 */
export const certificateSettings: MenuSchema = {
  path: "/certificate/settings",
  kind: "singleton",
  properties: [
    { name: "crl-download", boolean: true, default: "false" },
    { name: "crl-use", boolean: true, default: "false" },
    { name: "crl-store", default: "ram", normalize: choice("crl-store", ["ram", "system"]) },
    {
      name: "builtin-trust-anchors",
      since: "7.19",
      until: "7.24",
      default: "not-trusted",
      normalize: choice("builtin-trust-anchors", ["trusted", "not-trusted"]),
    },
    { name: "builtin-trust-store", since: "7.24", default: "none", normalize: serviceList },
  ],
  printArguments: ["as-value", "without-paging"],
};
