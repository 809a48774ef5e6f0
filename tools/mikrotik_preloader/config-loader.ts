/**
 * Reads the YAML config, validates it with the schema, and turns every problem into a message
 * that names the key path and its line: `lan.pool_range (line 31): must lie inside ...`.
 * The source positions are kept so that later checks against a router (a missing interface)
 * can point at the same line.
 */
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { $ZodIssue } from "zod/v4/core";
import { ConfigError } from "./errors.ts";
import { configSchema, type PreloaderConfig } from "./schema.ts";

export type ConfigPath = readonly (string | number)[];

export interface LoadedConfig {
  config: PreloaderConfig;
  /** `lan_ports[1] (line 4)`: how messages refer to a key of this file. */
  describeKey(path: ConfigPath): string;
  /** The config file's folder: relative paths in it (odoo.ca_file) start there. */
  directory: string;
}

function formatPath(path: ConfigPath): string {
  return path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part), "");
}

class SourcePositions {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The line of the deepest node on `path` that exists; a key's own line when `key` names a map entry. */
  lineOf(path: ConfigPath, key?: string): number | undefined {
    let node: unknown = this.document.contents;
    let offset = rangeStart(node);
    for (const part of key === undefined ? path : [...path, key]) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
        if (pair === undefined) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof part === "number" && node.items[part] !== undefined) {
        node = node.items[part];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }

  describe(path: ConfigPath, key?: string): string {
    const name = formatPath(key === undefined ? path : [...path, key]) || "(top level)";
    const line = this.lineOf(path, key);
    return line === undefined ? name : `${name} (line ${line})`;
  }
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function issueMessages(issue: $ZodIssue, positions: SourcePositions): string[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${positions.describe(issue.path as ConfigPath, key)}: unknown key (check its spelling)`);
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return [`${positions.describe(issue.path as ConfigPath)}: is required`];
  }
  return [`${positions.describe(issue.path as ConfigPath)}: ${issue.message}`];
}

/** Parses and validates YAML text; `source` names the file in messages. */
export function parseConfig(text: string, source: string): LoadedConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const messages = document.errors.map((error) => `line ${lines.linePos(error.pos[0]).line}: ${error.message.split("\n")[0]}`);
    throw new ConfigError(`${source}: invalid YAML\n  ${messages.join("\n  ")}`);
  }
  const positions = new SourcePositions(document, lines);
  const result = configSchema.safeParse(document.toJS() ?? {});
  if (!result.success) {
    const messages = result.error.issues.flatMap((issue) => issueMessages(issue, positions));
    throw new ConfigError(`${source}: ${messages.length} problem(s)\n  ${messages.join("\n  ")}`);
  }
  return { config: result.data, describeKey: (path) => positions.describe(path), directory: dirname(source) };
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseConfig(text, file);
}
