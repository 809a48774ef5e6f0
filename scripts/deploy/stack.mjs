// isp_core as deploy/ installs it, on loopback ports, for the production tests (tests/deploy/)
// and the proxied cases of `npm run bench:onboarding`: Odoo run from the configuration
// deploy/render.py writes, behind nginx with the site it writes, TLS with a certificate from a CA
// made here. Only the ports, the paths and the worker count differ from what an ISP's server gets.
import { execFileSync, spawn } from "node:child_process";
import { X509Certificate, createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { ODOO_PYTHON, REPO_ROOT, dropDatabase, freePort, installIspCore, waitForExit } from "../odoo/environment.mjs";

export const TEST_DOMAIN = "isp.test";
const NGINX = "/usr/sbin/nginx";
const READY_MS = 120_000;

/** Whether this machine can run the stack: nginx and openssl from Debian. */
export function productionStackMissing() {
  const missing = [];
  if (!existsSync(NGINX)) missing.push("nginx");
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
  } catch {
    missing.push("openssl");
  }
  return missing;
}

const openssl = (args, cwd) => execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });

/**
 * A CA made for this run, and a certificate it signed for `domain` (and 127.0.0.1), as an ISP
 * gets one from Let's Encrypt.
 * @returns {{ caPem: string, cert: string, key: string, spkiSha256: string }}
 */
export function makeTestCertificate(directory, domain = TEST_DOMAIN) {
  mkdirSync(directory, { recursive: true });
  const subject = (name) => ["-subj", `/CN=${name}`];
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      ...subject("isp_core test CA"),
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
    ],
    directory,
  );
  openssl(
    ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", ...subject(domain), "-keyout", "site.key", "-out", "site.csr"],
    directory,
  );
  writeFileSync(path.join(directory, "site.ext"), `subjectAltName=DNS:${domain},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "site.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "site.ext",
      "-out",
      "site.pem",
    ],
    directory,
  );
  const certificate = new X509Certificate(readFileSync(path.join(directory, "site.pem")));
  const spki = certificate.publicKey.export({ type: "spki", format: "der" });
  return {
    caPem: readFileSync(path.join(directory, "ca.pem"), "utf8"),
    cert: path.join(directory, "site.pem"),
    key: path.join(directory, "site.key"),
    spkiSha256: createHash("sha256").update(spki).digest("base64"),
  };
}

/** Runs deploy/render.py into `output` with `args` (its own options). */
export function renderDeployment(output, args) {
  execFileSync(ODOO_PYTHON, [path.join(REPO_ROOT, "deploy", "render.py"), "--output", output, ...args], { stdio: ["ignore", "ignore", "inherit"] });
  return output;
}

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function untilAnswers(url, process, what) {
  const started = Date.now();
  while (!(await answers(url))) {
    if (process.exitCode !== null) throw new Error(`${what} stopped before answering (exit ${process.exitCode})`);
    if (Date.now() - started > READY_MS) throw new Error(`${what} did not answer ${url} within ${READY_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * Serves Odoo from a rendered odoo.conf; resolves once its workers answer /web/health and, given its
 * gevent port, its websocket process answers too.
 * @returns {Promise<{ url: string, log: () => string, stop: () => Promise<number> }>}
 */
export async function startOdooFromConfig(odooHome, configPath, { httpPort, geventPort }) {
  const odoo = spawn(ODOO_PYTHON, [path.join(odooHome, "odoo-bin"), "--config", configPath], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  odoo.stderr.setEncoding("utf8").on("data", (chunk) => (log += chunk));
  const exited = waitForExit(odoo);
  const url = `http://127.0.0.1:${httpPort}`;
  await untilAnswers(`${url}/web/health`, odoo, `Odoo (${configPath})`);
  // The bus's websocket has its own process: a page opened before it listens backs off for long.
  if (geventPort) await untilAnswers(`http://127.0.0.1:${geventPort}/websocket/health`, odoo, `Odoo's websocket (${configPath})`);
  return {
    url,
    log: () => log,
    stop: () => {
      if (odoo.exitCode === null) odoo.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * Runs nginx in the foreground with the rendered site and a main configuration of its own under
 * `directory` (pid, logs, temporary files), as Debian's /etc/nginx/nginx.conf includes the site.
 * @returns {Promise<{ errorLog: () => string, accessLog: () => string, stop: () => Promise<number> }>}
 */
export async function startNginx(directory, sitePath, httpsPort) {
  mkdirSync(directory, { recursive: true });
  const file = (name) => path.join(directory, name);
  // As root, nginx's workers would take the account `nobody`, which cannot read this folder.
  const user = process.getuid?.() === 0 ? `user ${os.userInfo().username};` : "";
  writeFileSync(
    file("nginx.conf"),
    `${user}
daemon off;
worker_processes 2;
pid ${file("nginx.pid")};
error_log ${file("error.log")} info;
events { worker_connections 1024; }
http {
  access_log ${file("access.log")};
  client_body_temp_path ${file("body")};
  proxy_temp_path ${file("proxy")};
  fastcgi_temp_path ${file("fastcgi")};
  uwsgi_temp_path ${file("uwsgi")};
  scgi_temp_path ${file("scgi")};
  include ${sitePath};
}
`,
  );
  const args = ["-p", directory, "-e", file("error.log"), "-c", file("nginx.conf")];
  execFileSync(NGINX, ["-t", "-q", ...args], { stdio: ["ignore", "ignore", "inherit"] });
  const nginx = spawn(NGINX, args, { stdio: ["ignore", "ignore", "inherit"] });
  const exited = waitForExit(nginx);
  const started = Date.now();
  while (!(await tlsListening(httpsPort))) {
    if (nginx.exitCode !== null) throw new Error(`nginx stopped (exit ${nginx.exitCode}); see ${file("error.log")}`);
    if (Date.now() - started > 10_000) throw new Error(`nginx did not listen on ${httpsPort}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    errorLog: () => readFileSync(file("error.log"), "utf8"),
    accessLog: () => readFileSync(file("access.log"), "utf8"),
    stop: () => {
      if (nginx.exitCode === null) nginx.kill("SIGQUIT");
      return exited;
    },
  };
}

function tlsListening(port) {
  return new Promise((resolve) => {
    const probe = https.request({ host: "127.0.0.1", port, method: "HEAD", path: "/", rejectUnauthorized: false }, (response) => {
      response.resume();
      resolve(true);
    });
    probe.on("error", () => resolve(false));
    probe.end();
  });
}

/**
 * One HTTPS request to the proxy, trusting only the test CA, for `domain` on 127.0.0.1.
 * @param {{ port: number, caPem: string, method?: string, path: string, headers?: Record<string, string>,
 *           body?: string | Buffer, localAddress?: string }} request
 * @returns {Promise<{ status: number, headers: import("node:http").IncomingHttpHeaders, body: string }>}
 */
export function httpsRequest({ port, caPem, method = "GET", path: requestPath, headers = {}, body, localAddress }) {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: "127.0.0.1",
        port,
        servername: TEST_DOMAIN,
        ca: caPem,
        method,
        path: requestPath,
        localAddress,
        headers: { Host: `${TEST_DOMAIN}:${port}`, ...headers, ...(body === undefined ? {} : { "Content-Length": Buffer.byteLength(body) }) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Waits until the proxy serves `requestPath` again. While Odoo was down, nginx counted each
 * request it could not pass on (the open pages' reconnections among them) against the server,
 * and sends nothing to a server so counted for its fail_timeout: Odoo answering its own port is
 * not yet Odoo answering through the proxy.
 */
async function untilProxied({ port, caPem }, requestPath) {
  const started = Date.now();
  for (;;) {
    const { status } = await httpsRequest({ port, caPem, path: requestPath }).catch(() => ({ status: 0 }));
    if (status === 200) return;
    if (Date.now() - started > READY_MS)
      throw new Error(`the proxy did not serve ${requestPath} within ${READY_MS / 1000} s (last status ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** `count` distinct loopback ports that nothing listens on right now. */
async function distinctFreePorts(count) {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** The arguments of deploy/render.py that every file of one loopback stack shares. */
function commonArguments({ tls, odooHome, database, directory }) {
  return [
    `--domain=${TEST_DOMAIN}`,
    `--cert=${tls.cert}`,
    `--key=${tls.key}`,
    `--database=${database}`,
    `--odoo-home=${odooHome}`,
    `--addons=${REPO_ROOT}`,
    `--data-dir=${path.join(directory, "data")}`,
    `--backup-dir=${path.join(directory, "backups")}`,
    `--db-user=${os.userInfo().username}`,
  ];
}

/**
 * nginx with the site render.py writes, in front of running Odoo servers (`backends`: their HTTP
 * and gevent ports), on two new loopback ports.
 * @param {{ tls: ReturnType<typeof makeTestCertificate>, odooHome: string, database: string, directory: string,
 *   backends: { http: number, gevent: number }[] }} options
 */
export async function startProxy(options) {
  const [httpsPort, plainPort] = await distinctFreePorts(2);
  const site = renderDeployment(path.join(options.directory, "proxy"), [
    ...commonArguments(options),
    `--https-listen=127.0.0.1:${httpsPort}`,
    `--http-listen=127.0.0.1:${plainPort}`,
    ...options.backends.map((backend) => `--odoo-server=127.0.0.1:${backend.http}:${backend.gevent}`),
  ]);
  const nginx = await startNginx(path.join(options.directory, "nginx"), path.join(site, "nginx-site.conf"), httpsPort);
  const { caPem, spkiSha256 } = options.tls;
  return { https: { port: httpsPort, caPem, spkiSha256, url: `https://${TEST_DOMAIN}:${httpsPort}` }, nginx };
}

/**
 * isp_core installed in `database` (dropped first), served by `servers` Odoo servers of `workers`
 * workers each (crons on the first only), sharing one data folder, behind nginx with TLS. Each
 * server's configuration and the nginx site are deploy/render.py's.
 * @param {{ odooHome: string, database: string, directory: string, servers?: number, workers?: number }} options
 */
export async function startProductionStack({ odooHome, database, directory, servers = 1, workers = 2 }) {
  const tls = makeTestCertificate(path.join(directory, "tls"));
  const shared = { tls, odooHome, database, directory };
  const odooPorts = await distinctFreePorts(2 * servers);
  const backends = Array.from({ length: servers }, (_, index) => ({ http: odooPorts[2 * index], gevent: odooPorts[2 * index + 1] }));
  const configs = backends.map((ports, index) =>
    renderDeployment(path.join(directory, `server-${index}`), [
      ...commonArguments(shared),
      `--workers=${workers}`,
      `--cron-threads=${index === 0 ? 1 : 0}`,
      `--http-port=${ports.http}`,
      `--gevent-port=${ports.gevent}`,
    ]),
  );
  const dataDir = path.join(directory, "data");
  await installIspCore(odooHome, database, [`--data-dir=${dataDir}`]);

  /** @type {{ url: string, log: () => string, stop: () => Promise<number> }[]} */
  const odoo = [];
  const startOdoo = async () => {
    const started = await Promise.all(
      configs.map((config, index) =>
        startOdooFromConfig(odooHome, path.join(config, "odoo.conf"), { httpPort: backends[index].http, geventPort: backends[index].gevent }),
      ),
    );
    odoo.splice(0, odoo.length, ...started);
  };
  const stopOdoo = async () => {
    await Promise.all(odoo.map((server) => server.stop()));
  };
  /** @type {Awaited<ReturnType<typeof startProxy>> | undefined} */
  let proxy;
  const startOdooBehindProxy = async () => {
    await startOdoo();
    if (proxy) await untilProxied(proxy.https, "/web/health");
  };
  try {
    await startOdoo();
    proxy = await startProxy({ ...shared, backends });
  } catch (error) {
    await stopOdoo();
    dropDatabase(database);
    throw error;
  }
  return {
    ...proxy,
    odoo,
    dataDir,
    directory,
    startOdoo: startOdooBehindProxy,
    stopOdoo,
    async stop() {
      await proxy.nginx.stop();
      await stopOdoo();
      dropDatabase(database);
    },
  };
}
