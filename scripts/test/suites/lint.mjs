// The habits of the field: ESLint and Prettier for the TypeScript and the scripts, flake8 for the
// Python (Debian's flake8, which `npm run setup` installs). One check each; a missing linter fails.
import { runAndCapture } from "../process.mjs";

const LINTERS = [
  ["ESLint", "npx", ["eslint", "."]],
  ["Prettier", "npx", ["prettier", "--check", "--log-level", "warn", "**/*.{ts,mjs}"]],
  ["flake8", "flake8", ["isp_core", "isp_billing", "tests/python", "scripts", "deploy"]],
];

export default {
  id: "lint",
  name: "lint (ESLint, Prettier, flake8)",
  async run() {
    const failures = [];
    for (const [name, command, args] of LINTERS) {
      const { code } = await runAndCapture(command, args).catch(() => ({ code: 127 }));
      if (code !== 0) failures.push(code === 127 ? `${name} is not installed` : name);
    }
    const note = failures.length > 0 ? `failed: ${failures.join(", ")}` : undefined;
    return { passed: LINTERS.length - failures.length, failed: failures.length, skipped: 0, ...(note ? { note } : {}) };
  },
};
