// A small closed-loop HTTP load generator for the benchmarks: N requests over C keep-alive
// connections, reporting requests/s, p50/p99 latency and the answers that were not 2xx.
import http from "node:http";
import https from "node:https";
import { percentile } from "./stats.ts";

/**
 * @param {{ port: number, concurrency: number, requests: number,
 *           request: (index: number) => { method: string, path: string, headers?: Record<string,string>, body?: string },
 *           tls?: { caPem: string, servername: string } }} plan
 *   `tls`: HTTPS to 127.0.0.1, trusting only `caPem`, for the host `servername` (a proxy in front of Odoo).
 */
export async function runLoad({ port, concurrency, requests, request, tls }) {
  const transport = tls ? https : http;
  const agent = tls
    ? new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: tls.caPem, servername: tls.servername })
    : new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const hostHeader = tls ? { Host: `${tls.servername}:${port}` } : {};
  const latencies = [];
  const errors = new Map();
  let next = 0;
  const started = process.hrtime.bigint();

  const send = (index) =>
    new Promise((resolve) => {
      const { method, path, headers = {}, body } = request(index);
      const sentAt = process.hrtime.bigint();
      const finish = (outcome) => {
        latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
        if (outcome !== 200) errors.set(outcome, (errors.get(outcome) ?? 0) + 1);
        resolve();
      };
      const req = transport.request(
        {
          host: "127.0.0.1",
          port,
          method,
          path,
          agent,
          headers: { ...hostHeader, ...headers, ...(body ? { "Content-Length": Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          res.resume();
          res.on("end", () => finish(res.statusCode));
        },
      );
      req.on("error", (error) => finish(error.code ?? "network error"));
      req.end(body);
    });

  const worker = async () => {
    while (next < requests) await send(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: Object.fromEntries(errors),
    errorCount: [...errors.values()].reduce((sum, count) => sum + count, 0),
  };
}
