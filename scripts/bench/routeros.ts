/**
 * `npm run bench:routeros`: our RouterOS client against the emulator on loopback, with
 * librouteros (Debian's python3-librouteros) and node-routeros (npm) doing the same print in the
 * same run as baselines.
 * Prints reply sentences per second and the ratios; it times nothing in the test suite.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { RouterOSAPI } from "node-routeros";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { startEmulator } from "../../tools/routeros-emulator/index.ts";
import { median } from "./stats.ts";

const LEASES = 10_000;
const ADDS = 1_000;
const PRINT_RUNS = 5;
const EMULATOR_TARGET = 20_000;
const LEASE_MENU = "/ip/dhcp-server/lease";
const LIBROUTEROS_SCRIPT = fileURLToPath(new URL("./routeros_librouteros.py", import.meta.url));

function leaseProps(index: number): Record<string, string> {
  const hex = index.toString(16).padStart(6, "0").toUpperCase();
  return {
    address: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
    "mac-address": `02:00:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`,
    comment: `bench lease ${index}`,
  };
}

/** Adds the leases in pipelined batches (tags let many be in flight at once). */
async function seedLeases(client: RouterOsClient): Promise<void> {
  const batch = 500;
  for (let start = 0; start < LEASES; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, LEASES - start) }, (_, offset) => client.add(LEASE_MENU, leaseProps(start + offset))));
  }
}

interface PrintTimes {
  wallSeconds: number[];
  /** CPU time of this process, which runs both the client and the emulator. */
  cpuSeconds: number[];
}

async function timePrints(client: RouterOsClient): Promise<PrintTimes> {
  const times: PrintTimes = { wallSeconds: [], cpuSeconds: [] };
  for (let run = 0; run < PRINT_RUNS; run++) {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const items = await client.print(LEASE_MENU);
    const cpu = process.cpuUsage(cpuBefore);
    times.wallSeconds.push((performance.now() - started) / 1000);
    times.cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    if (items.length !== LEASES) throw new Error(`print returned ${items.length} leases, expected ${LEASES}`);
  }
  return times;
}

async function timeSequentialAdds(client: RouterOsClient): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < ADDS; index++) {
    await client.add("/ip/firewall/address-list", { list: "bench", address: `172.16.${index >> 8}.${index & 255}` });
  }
  return (performance.now() - started) / 1000;
}

async function timeLibrouteros(port: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)("/usr/bin/python3", [LIBROUTEROS_SCRIPT, String(port), String(PRINT_RUNS)], { timeout: 300_000 });
  const result = JSON.parse(stdout) as { items: number; seconds: number[] };
  if (result.items !== LEASES) throw new Error(`librouteros printed ${result.items} leases, expected ${LEASES}`);
  return result.seconds;
}

async function timeNodeRouteros(port: number): Promise<number[]> {
  const api = new RouterOSAPI({ host: "127.0.0.1", port, user: "admin", password: "", timeout: 120 });
  await api.connect();
  const seconds: number[] = [];
  try {
    for (let run = 0; run < PRINT_RUNS; run++) {
      const started = performance.now();
      const items = await api.write(`${LEASE_MENU}/print`);
      seconds.push((performance.now() - started) / 1000);
      if (items.length !== LEASES) throw new Error(`node-routeros printed ${items.length} leases, expected ${LEASES}`);
    }
  } finally {
    await api.close();
  }
  return seconds;
}

async function main(): Promise<void> {
  const emulator = await startEmulator();
  const client = await RouterOsClient.connect({ host: emulator.host, port: emulator.port, user: "admin", password: "", commandTimeoutMs: 120_000 });
  try {
    process.stderr.write(`seeding ${LEASES} leases...\n`);
    await seedLeases(client);
    // One reply sentence per lease, plus the !done.
    const sentencesPerPrint = LEASES + 1;
    const printTimes = await timePrints(client);
    const ours = median(printTimes.wallSeconds);
    const oursCpu = median(printTimes.cpuSeconds);
    const addSeconds = await timeSequentialAdds(client);
    const theirs = median(await timeLibrouteros(emulator.port));
    const nodeRouteros = median(await timeNodeRouteros(emulator.port));
    const nodeRouterosRate = sentencesPerPrint / nodeRouteros;

    const oursRate = sentencesPerPrint / ours;
    const theirsRate = sentencesPerPrint / theirs;
    // The emulator and our client share this process, so this counts both sides' work: a
    // floor for the emulator alone, and steadier than wall time on a busy machine.
    const cpuRate = sentencesPerPrint / oursCpu;
    const rows: [string, string, string][] = [
      [`print ${LEASES} leases, our client (median of ${PRINT_RUNS})`, `${(ours * 1000).toFixed(1)} ms`, `${Math.round(oursRate)} sentences/s`],
      [`  same, CPU time of client + emulator`, `${(oursCpu * 1000).toFixed(1)} ms`, `${Math.round(cpuRate)} sentences/CPU-s`],
      [`print ${LEASES} leases, librouteros (median of ${PRINT_RUNS})`, `${(theirs * 1000).toFixed(1)} ms`, `${Math.round(theirsRate)} sentences/s`],
      [
        `print ${LEASES} leases, node-routeros (median of ${PRINT_RUNS})`,
        `${(nodeRouteros * 1000).toFixed(1)} ms`,
        `${Math.round(nodeRouterosRate)} sentences/s`,
      ],
      [`${ADDS} sequential adds, our client`, `${(addSeconds * 1000).toFixed(1)} ms`, `${Math.round(ADDS / addSeconds)} sentences/s`],
    ];
    for (const [label, time, rate] of rows) process.stdout.write(`${label.padEnd(52)} ${time.padStart(11)}  ${rate}\n`);
    process.stdout.write(`ratio print our client / librouteros: ${(oursRate / theirsRate).toFixed(2)}x (target >= 1.00)\n`);
    process.stdout.write(`ratio print our client / node-routeros: ${(oursRate / nodeRouterosRate).toFixed(2)}x\n`);
    process.stdout.write(
      `ratio emulator print throughput / ${EMULATOR_TARGET} sentences/s: wall ${(oursRate / EMULATOR_TARGET).toFixed(2)}x, CPU ${(cpuRate / EMULATOR_TARGET).toFixed(2)}x (target >= 1.00)\n`,
    );
  } finally {
    await client.close();
    await emulator.close();
  }
}

await main();
