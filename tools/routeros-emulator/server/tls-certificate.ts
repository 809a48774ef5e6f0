import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export interface TlsCredentials {
  key: string;
  cert: string;
}

/** The name `/ip/service api-ssl` gives the self-signed certificate it presents. */
export const SELF_SIGNED_CERTIFICATE_NAME = "routeros-emulator";

/**
 * A fresh self-signed certificate for 127.0.0.1/localhost. Node cannot create X.509
 * certificates itself, so this runs the `openssl` command (Debian installs it with
 * ca-certificates); the key never leaves memory once read back.
 */
export async function selfSignedCertificate(): Promise<TlsCredentials> {
  const directory = await mkdtemp(join(tmpdir(), "routeros-emulator-tls-"));
  try {
    const keyFile = join(directory, "key.pem");
    const certFile = join(directory, "cert.pem");
    await promisify(execFile)("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "30",
      "-subj",
      "/CN=routeros-emulator",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]);
    return { key: await readFile(keyFile, "utf8"), cert: await readFile(certFile, "utf8") };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
