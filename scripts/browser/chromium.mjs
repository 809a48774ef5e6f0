// A headless Chromium and one page, driven over the DevTools protocol, for the benchmarks and the
// production tests. Node 20 keeps WebSocket behind `--experimental-websocket`: run with it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const CHROMIUM = process.env.CHROMIUM || "chromium";

/**
 * @param {{ args?: string[] }} [options] more Chromium switches (certificate trust, host mapping)
 * @returns {Promise<{ send: (method: string, params?: object) => Promise<any>, close: () => Promise<void> }>}
 */
export async function openBrowser({ args = [] } = {}) {
  const profile = mkdtempSync(path.join(tmpdir(), "isp-chromium-"));
  const browser = spawn(
    CHROMIUM,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--remote-debugging-port=0",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      `--user-data-dir=${profile}`,
      "--window-size=1366,768",
      ...args,
      "about:blank",
    ],
    { stdio: "ignore", detached: true },
  ); // its own process group, so close() ends its helpers too
  let port = null;
  for (let attempt = 0; attempt < 100 && !port; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      port = readFileSync(path.join(profile, "DevToolsActivePort"), "utf8").split("\n")[0];
    } catch {
      // Chromium has not written it yet.
    }
  }
  if (!port) throw new Error(`${CHROMIUM} did not start`);
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const socket = new WebSocket(targets.find((target) => target.type === "page").webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let nextId = 0;
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.error) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  };
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    send,
    async close() {
      socket.close();
      const exited = new Promise((resolve) => browser.once("exit", resolve));
      browser.kill("SIGTERM");
      await exited;
      // The renderer and utility processes outlive the browser process and keep writing the profile.
      try {
        process.kill(-browser.pid, "SIGKILL");
      } catch {
        // The whole group is already gone.
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    },
  };
}
