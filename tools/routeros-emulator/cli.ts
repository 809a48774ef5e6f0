import { parseArgs } from "node:util";
import { RouterOsClient } from "../routeros/index.ts";
import { DEFAULT_INTERFACES, DEFAULT_VERSION, startEmulator, type EmulatorOptions } from "./index.ts";
import { bytesOf } from "./engine/bytes.ts";

const USAGE = `Usage: npm run routeros-emulator -- [options]
       npm run routeros-emulator -- bind --port N --mac MAC [--host-name NAME] [--server NAME]
       npm run routeros-emulator -- unbind --port N --mac MAC

Emulates a MikroTik router's API (RouterOS ${DEFAULT_VERSION} by default) on 127.0.0.1.

  --host ADDRESS        listen address (default 127.0.0.1)
  --port N              API port; 0 picks a free one (default 8728)
  --tls-port N          also serve API-SSL on this port with a self-signed certificate
  --tls-no-certificate  serve API-SSL without a certificate, with anonymous Diffie-Hellman
                        only, as RouterOS does while api-ssl has certificate=none
  --version V           RouterOS version to emulate (default ${DEFAULT_VERSION})
  --state FILE          keep the configuration in FILE across restarts
  --user NAME=PASSWORD  a login (repeatable; default admin with an empty password)
  --interface NAME      an ethernet interface (repeatable; default ${DEFAULT_INTERFACES.join(", ")})
  --legacy-login        answer logins with the pre-6.43 MD5 challenge
  --export              print the configuration (with --state) as a .rsc script and exit
  --help                show this help

When ready it prints one line on stdout:
  routeros-emulator listening api=HOST:PORT[ tls=HOST:PORT] version=V

bind and unbind act on a running emulator, as a device would: bind asks its DHCP server for a
lease (the first server unless --server names one), so that the server's lease-script runs;
unbind ends the lease. They log in as --user NAME=PASSWORD (default admin, empty password) and
print the lease's address.
`;

function port(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new Error(`${option}: "${value}" is not a port number`);
  return number;
}

function users(values: string[] | undefined): EmulatorOptions["users"] {
  return values?.map((value) => {
    const separator = value.indexOf("=");
    if (separator <= 0) throw new Error(`--user: expected NAME=PASSWORD, got "${value.split("=")[0]}"`);
    return { name: value.slice(0, separator), password: value.slice(separator + 1) };
  });
}

/** `bind` and `unbind`: a device takes or gives back a lease on a running emulator. */
async function simulateDevice(verb: "bind" | "unbind", args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      mac: { type: "string" },
      "host-name": { type: "string" },
      server: { type: "string" },
      user: { type: "string" },
    },
  });
  if (values.mac === undefined) throw new Error(`${verb}: --mac is required`);
  const apiPort = port(values.port, "--port") ?? 8728;
  const [login = { name: "admin", password: "" }] = users(values.user === undefined ? undefined : [values.user]) ?? [];
  const client = await RouterOsClient.connect({ host: values.host ?? "127.0.0.1", port: apiPort, user: login.name, password: login.password });
  try {
    if (verb === "unbind") {
      await client.command("/simulator/dhcp/unbind", { "mac-address": values.mac });
      process.stdout.write(`${values.mac.toUpperCase()} released\n`);
      return;
    }
    const server = values.server ?? (await client.print("/ip/dhcp-server", { proplist: ["name"] }))[0]?.name;
    if (server === undefined) throw new Error("bind: the router has no DHCP server; name one with --server");
    const { ret } = await client.command("/simulator/dhcp/bind", { server, "mac-address": values.mac, "host-name": values["host-name"] ?? "" });
    const [lease] = await client.print("/ip/dhcp-server/lease", { query: [`?.id=${ret}`], proplist: ["address", "mac-address"] });
    process.stdout.write(`${lease?.["mac-address"] ?? values.mac} bound to ${lease?.address ?? "?"} on ${server}\n`);
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const [verb, ...rest] = process.argv.slice(2);
  if (verb === "bind" || verb === "unbind") return simulateDevice(verb, rest);
  const { values } = parseArgs({
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "tls-port": { type: "string" },
      "tls-no-certificate": { type: "boolean" },
      version: { type: "string" },
      state: { type: "string" },
      user: { type: "string", multiple: true },
      interface: { type: "string", multiple: true },
      "legacy-login": { type: "boolean" },
      export: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const options: EmulatorOptions = {
    host: values.host ?? "127.0.0.1",
    port: port(values.port, "--port") ?? 8728,
    ...(values["tls-port"] === undefined ? {} : { tlsPort: port(values["tls-port"], "--tls-port") }),
    ...(values["tls-no-certificate"] ? { apiSslCertificate: "none" as const } : {}),
    ...(values.version === undefined ? {} : { version: values.version }),
    ...(values.state === undefined ? {} : { stateFile: values.state }),
    ...(values.user === undefined ? {} : { users: users(values.user) }),
    ...(values.interface === undefined ? {} : { interfaces: values.interface }),
    legacyLogin: values["legacy-login"] ?? false,
  };
  if (values.export) {
    const emulator = await startEmulator({ ...options, port: 0, tlsPort: undefined });
    process.stdout.write(bytesOf(emulator.export()));
    await emulator.close();
    return;
  }
  const emulator = await startEmulator(options);
  const tls = emulator.tlsPort === undefined ? "" : ` tls=${emulator.host}:${emulator.tlsPort}`;
  process.stdout.write(`routeros-emulator listening api=${emulator.host}:${emulator.port}${tls} version=${emulator.version}\n`);
  const stop = (): void => void emulator.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`routeros-emulator: ${(error as Error).message}\n`);
  process.exit(2);
});
