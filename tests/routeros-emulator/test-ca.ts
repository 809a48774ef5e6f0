import { execFile } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface KeyPair {
  key: string;
  cert: string;
}

/** A test certificate authority that issues TLS server certificates, made with the `openssl` command. */
export class TestCa {
  private constructor(
    readonly name: string,
    readonly pair: KeyPair,
  ) {}

  get certificate(): string {
    return this.pair.cert;
  }

  static async create(name = "isp_core test CA"): Promise<TestCa> {
    return withDirectory(async (directory) => {
      const key = join(directory, "ca.key");
      const cert = join(directory, "ca.pem");
      await run("openssl", [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
        ...["-keyout", key, "-out", cert, "-days", "30", "-subj", `/CN=${name}`],
        ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
      ]);
      return new TestCa(name, { key: await readFile(key, "utf8"), cert: await readFile(cert, "utf8") });
    });
  }

  /** A server certificate for `names` (IP addresses or DNS names), valid for 30 days from now. */
  async issue(names: readonly string[]): Promise<KeyPair> {
    return withDirectory(async (directory) => {
      const files = { caKey: "ca.key", caCert: "ca.pem", key: "server.key", csr: "server.csr", cert: "server.pem", ext: "server.ext" };
      const path = (name: string): string => join(directory, name);
      await writeFile(path(files.caKey), this.pair.key);
      await writeFile(path(files.caCert), this.pair.cert);
      const alternatives = names.map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(",");
      await writeFile(path(files.ext), `subjectAltName=${alternatives}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
      await run("openssl", [
        ...["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
        ...["-keyout", path(files.key), "-out", path(files.csr), "-subj", `/CN=${names[0] ?? "server"}`],
      ]);
      await run("openssl", [
        ...["x509", "-req", "-in", path(files.csr), "-CA", path(files.caCert), "-CAkey", path(files.caKey)],
        ...["-set_serial", String(randomInt(1, 2 ** 47)), "-days", "30", "-extfile", path(files.ext), "-out", path(files.cert)],
      ]);
      return { key: await readFile(path(files.key), "utf8"), cert: await readFile(path(files.cert), "utf8") };
    });
  }
}

async function withDirectory<T>(work: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), "isp-test-ca-"));
  try {
    return await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
