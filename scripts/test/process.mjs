// Runs one child process for a suite, streaming its output and keeping a copy to parse.
import { spawn } from "node:child_process";
import { REPO_ROOT } from "../odoo/environment.mjs";

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, echo?: boolean, cwd?: string, timeoutMinutes?: number }} [options]
 * @returns {Promise<{ code: number, output: string }>}
 */
export function runAndCapture(command, args, { env, echo = true, cwd = REPO_ROOT, timeoutMinutes = 20 } = {}) {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    // A hung suite must fail, not stall CI: kill its whole process group when time is up.
    const timer = setTimeout(() => {
      output += `\n${command} did not finish within ${timeoutMinutes} minutes and was stopped\n`;
      console.log(`!! ${command} did not finish within ${timeoutMinutes} minutes and was stopped`);
      process.kill(-child.pid, "SIGKILL");
    }, timeoutMinutes * 60_000);
    const collect = (stream, target) =>
      stream.on("data", (chunk) => {
        output += chunk;
        if (echo) target.write(chunk);
      });
    collect(child.stdout, process.stdout);
    collect(child.stderr, process.stderr);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** Reads the closing counts of a TAP stream (node:test writes "skipped", QUnit writes "skip"). */
export function parseTapCounts(output) {
  const count = (label) => {
    const match = output.match(new RegExp(`^# ${label} (\\d+)$`, "m"));
    return match ? Number(match[1]) : 0;
  };
  return {
    passed: count("pass"),
    failed: count("fail") + count("cancelled"),
    skipped: count("skipped") + count("skip") + count("todo"),
  };
}
