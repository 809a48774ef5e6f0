// Starts a throwaway Odoo with isp_core on a scratch database for a benchmark, and removes it after.
import { execFileSync } from "node:child_process";
import { dropDatabase, freePort, installIspCore, requireOdooHome, spawnOdoo, waitForExit } from "../odoo/environment.mjs";

export function sql(database, statement) {
  return execFileSync("psql", ["-d", database, "-tAc", statement], { encoding: "utf8" }).trim();
}

async function becomesHealthy(port) {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/web/health`);
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/**
 * Installs `addons` (isp_core by default) into `database` (dropped first), then serves it with `workers` workers and
 * `cronThreads` cron workers (none by default: most benches measure requests alone). The server's
 * log is kept, not printed: `errorLines()` gives its ERROR lines, which an operator would read as
 * "something is broken".
 * `extraArgs` go to odoo-bin as they are.
 * @returns {Promise<{ port: number, geventPort: number, odooHome: string, stop: () => Promise<void>, errorLines: () => string[] }>}
 */
export async function startOdooForBench({ database, workers = 2, cronThreads = 0, extraArgs = [], addons = ["isp_core"] }) {
  const odooHome = requireOdooHome();
  await installIspCore(odooHome, database, [], addons);

  const port = await freePort();
  const geventPort = await freePort();
  const server = spawnOdoo(
    odooHome,
    [
      "-d",
      database,
      `--db-filter=^${database}$`,
      `--workers=${workers}`,
      `--max-cron-threads=${cronThreads}`,
      `--http-port=${port}`,
      `--gevent-port=${geventPort}`,
      "--log-level=warn",
      ...extraArgs,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const errorLines = [];
  let pending = "";
  server.stderr.setEncoding("utf8").on("data", (chunk) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    errorLines.push(...lines.filter((line) => / ERROR /.test(line)));
  });
  const exited = waitForExit(server);

  const stop = async () => {
    server.kill("SIGTERM");
    await exited;
    dropDatabase(database);
  };
  if (!(await becomesHealthy(port))) {
    await stop();
    throw new Error(`Odoo did not answer /web/health on port ${port} within a minute`);
  }
  return { port, geventPort, odooHome, stop, errorLines: () => [...errorLines] };
}
