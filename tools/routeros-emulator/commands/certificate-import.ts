import { X509Certificate } from "node:crypto";
import { rejectUnknown, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { routerTimestamp } from "../clock.ts";
import { CERTIFICATE_PEM, certificate } from "../menus/certificate.ts";
import { file } from "../menus/file.ts";
import { versionAtLeast } from "../version.ts";
import type { MenuAction } from "./command.ts";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/g;

/**
 * `/certificate/import file-name= [passphrase=] [name=]`, plus `trusted=` from 7.19.6's command
 * tree on (7.12.2's import has no such argument). Each PEM certificate of the file becomes an
 * item named `<file-name>_<n>` (as in Druvis-Timma/Mikrotik#8's `gdig2.crt_0`), trusted unless
 * `trusted=no`: that issue's CA certificates show the T flag after a plain import on 7.18.1. A
 * certificate the store already holds is not imported twice. The reply counts what was imported,
 * in RouterOS's words. Private keys are counted, never kept: the emulator serves no TLS with them.
 */
export const certificateImport: MenuAction = {
  path: "/certificate/import",
  argumentsAt: (version) => ["file-name", "passphrase", "name", "as-value", ...(versionAtLeast(version, "7.19") ? ["trusted", "no-key-export"] : [])],
  run(args: Map<string, string>, context: MenuContext): CommandReply {
    rejectUnknown(args, certificateImport.argumentsAt(context.version));
    const fileName = args.get("file-name");
    if (fileName === undefined || fileName === "") throw new Trap("missing value(s) of argument(s) file-name", TrapCategory.argumentValue);
    const source = context.state.rowNamed(file.path, fileName);
    if (!source) throw new Trap("failure: no such file", TrapCategory.general);
    const trusted = trustedArgument(args.get("trusted"));
    const contents = source.values.contents ?? "";
    const pems = contents.match(PEM_CERTIFICATE) ?? [];
    const baseName = args.get("name") || fileName;
    let imported = 0;
    let failures = 0;
    for (const [index, pem] of pems.entries()) {
      let parsed: X509Certificate;
      try {
        parsed = new X509Certificate(pem);
      } catch {
        failures++;
        continue;
      }
      const fingerprint = colonless(parsed.fingerprint256);
      if (context.state.table(certificate.path).rows.some((row) => row.values.fingerprint === fingerprint)) continue;
      context.state.insert(certificate.path, {
        ...describe(parsed, fingerprint),
        name: freeName(`${baseName}_${index}`, context),
        trusted,
        [CERTIFICATE_PEM]: pem,
      });
      imported++;
    }
    context.changed();
    const privateKeys = (contents.match(PEM_PRIVATE_KEY) ?? []).length;
    return {
      items: [
        {
          "certificates-imported": String(imported),
          "private-keys-imported": "0",
          "files-imported": imported > 0 ? "1" : "0",
          "decryption-failures": String(failures),
          "keys-with-no-certificate": String(privateKeys),
        },
      ],
    };
  },
};

function trustedArgument(value: string | undefined): string {
  if (value === undefined || value === "yes" || value === "true") return "true";
  if (value === "no" || value === "false") return "false";
  throw new Trap("input does not match any value of trusted", TrapCategory.argumentValue);
}

function colonless(fingerprint: string): string {
  return fingerprint.replaceAll(":", "").toLowerCase();
}

/** What `print` shows of a certificate: its names, issuer, validity and SHA-256 fingerprint (manual "Certificates"). */
function describe(parsed: X509Certificate, fingerprint: string): Record<string, string> {
  const commonName = /(?:^|\n)CN=([^\n]*)/.exec(parsed.subject)?.[1] ?? "";
  return {
    "common-name": commonName,
    "subject-alt-name": parsed.subjectAltName ?? "",
    issuer: parsed.issuer.split("\n").join(","),
    "serial-number": parsed.serialNumber,
    fingerprint,
    "invalid-before": routerTimestamp(new Date(parsed.validFrom)),
    "invalid-after": routerTimestamp(new Date(parsed.validTo)),
    authority: String(parsed.ca),
  };
}

function freeName(wanted: string, context: MenuContext): string {
  let name = wanted;
  for (let suffix = 1; context.state.rowNamed(certificate.path, name); suffix++) name = `${wanted}-${suffix}`;
  return name;
}
