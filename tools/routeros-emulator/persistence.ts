import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { PersistedState } from "./engine/state.ts";

/** Reads a state file; undefined when it does not exist yet. */
export function loadStateFile(path: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: PersistedState;
  try {
    parsed = JSON.parse(text) as PersistedState;
  } catch (error) {
    throw new Error(`${path}: not a routeros-emulator state file (${(error as Error).message})`, { cause: error });
  }
  if (parsed?.format !== 1) throw new Error(`${path}: unsupported state format ${String(parsed?.format)}`);
  return parsed;
}

/** Writes through a temporary file, so a crash never leaves half a state file. */
export function saveStateFile(path: string, state: PersistedState): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}
