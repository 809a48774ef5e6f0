// Runs one child process for a suite, streaming its output and keeping a copy to parse.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../odoo/environment.mjs";

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ timeoutMinutes?: number, onOutput?: (chunk: Buffer, stream: NodeJS.WriteStream) => void }} [options]
 *   `onOutput` receives each chunk of stdout and stderr with the stream it would be echoed to;
 *   by default it echoes it there.
 * @returns {Promise<{ code: number, output: string }>}
 */
export function runAndCapture(command, args, { timeoutMinutes = 20, onOutput = (chunk, target) => target.write(chunk) } = {}) {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true });
    // A hung suite must fail, not stall CI: kill its whole process group (browsers, emulators
    // and all) when time is up.
    const timer = setTimeout(() => {
      output += `\n${command} did not finish within ${timeoutMinutes} minutes and was stopped\n`;
      console.log(`!! ${command} did not finish within ${timeoutMinutes} minutes and was stopped`);
      process.kill(-child.pid, "SIGKILL");
    }, timeoutMinutes * 60_000);
    const collect = (stream, target) =>
      stream.on("data", (chunk) => {
        output += chunk;
        onOutput(chunk, target);
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

/**
 * Runs node:test files (TypeScript through tsx), echoing the spec reporter and counting the TAP
 * one's closing lines; a failing exit with no failed test counts one.
 * @param {string[]} files
 * @param {string[]} [options] more node:test options, e.g. `--test-timeout=60000`
 */
export async function runNodeTests(files, options = []) {
  const tapFile = path.join(mkdtempSync(path.join(os.tmpdir(), "isp-node-tests-")), "results.tap");
  const { code } = await runAndCapture("node", [
    "--import",
    "tsx",
    "--test",
    ...options,
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ]);
  const counts = parseTapCounts(readFileSync(tapFile, "utf8"));
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}
