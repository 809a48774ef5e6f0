import { parseArgs } from "node:util";
import { DEFAULT_INTERFACES, DEFAULT_VERSION, startEmulator, type EmulatorOptions } from "./index.ts";

const USAGE = `Usage: npm run routeros-sim -- [options]

Emulates a MikroTik router's API (RouterOS ${DEFAULT_VERSION} by default) on 127.0.0.1.

  --host ADDRESS        listen address (default 127.0.0.1)
  --port N              API port; 0 picks a free one (default 8728)
  --tls-port N          also serve API-SSL on this port with a self-signed certificate
  --version V           RouterOS version to emulate (default ${DEFAULT_VERSION})
  --state FILE          keep the configuration in FILE across restarts
  --user NAME=PASSWORD  a login (repeatable; default admin with an empty password)
  --interface NAME      an ethernet interface (repeatable; default ${DEFAULT_INTERFACES.join(", ")})
  --legacy-login        answer logins with the pre-6.43 MD5 challenge
  --export              print the configuration (with --state) as a .rsc script and exit
  --help                show this help

When ready it prints one line on stdout:
  routeros-sim listening api=HOST:PORT[ tls=HOST:PORT] version=V
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "tls-port": { type: "string" },
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
    ...(values.version === undefined ? {} : { version: values.version }),
    ...(values.state === undefined ? {} : { stateFile: values.state }),
    ...(values.user === undefined ? {} : { users: users(values.user) }),
    ...(values.interface === undefined ? {} : { interfaces: values.interface }),
    legacyLogin: values["legacy-login"] ?? false,
  };
  if (values.export) {
    const emulator = await startEmulator({ ...options, port: 0, tlsPort: undefined });
    process.stdout.write(emulator.export());
    await emulator.close();
    return;
  }
  const emulator = await startEmulator(options);
  const tls = emulator.tlsPort === undefined ? "" : ` tls=${emulator.host}:${emulator.tlsPort}`;
  process.stdout.write(`routeros-sim listening api=${emulator.host}:${emulator.port}${tls} version=${emulator.version}\n`);
  const stop = (): void => void emulator.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`routeros-sim: ${(error as Error).message}\n`);
  process.exit(2);
});
