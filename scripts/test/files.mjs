import { readdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../odoo/environment.mjs";

/** Files under `directory` (relative to the repo) whose names end with `suffix`, sorted. */
export function findFiles(directory, suffix) {
  const root = path.join(REPO_ROOT, directory);
  let entries;
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix) && !entry.parentPath.includes("node_modules"))
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}
