import { scriptString } from "../../routeros/index.ts";
import { propertiesAt } from "./menu-engine.ts";
import type { MenuSchema, PropertySchema } from "./schema.ts";
import type { RouterState, Row } from "./state.ts";

/** Values RouterOS writes without quotes; anything else is quoted and escaped. */
const BARE_VALUE = /^[A-Za-z0-9._:/,*+@-]+$/;

function quoteValue(value: string): string {
  return BARE_VALUE.test(value) ? value : scriptString(value);
}

/** The API prints booleans as true/false; a script writes them yes/no. */
function exportedValue(property: PropertySchema, value: string): string {
  if (!property.boolean) return value;
  return value === "true" ? "yes" : "no";
}

export interface ExportInput {
  state: RouterState;
  version: string;
  menus: readonly MenuSchema[];
  /** Rows the router started with (in `fixed` menus, and the default item of a list); only differences from them are exported. */
  factoryRows: Map<string, Record<string, string>[]>;
}

/** The configuration as a RouterOS `.rsc` script, like `/export` prints it. */
export function exportConfig(input: ExportInput): string {
  const lines = [`# ${input.state.timestamp()} by RouterOS ${input.version}`, "# emulated router", "#"];
  for (const menu of input.menus) {
    if (menu.kind === "view" || menu.notExported) continue;
    const commands = menuCommands(menu, input);
    if (commands.length > 0) lines.push(menu.path.replaceAll("/", " ").replace(/^ /, "/"), ...commands);
  }
  return `${lines.join("\n")}\n`;
}

function menuCommands(menu: MenuSchema, input: ExportInput): string[] {
  const exported = propertiesAt(menu, input.version).filter(
    (property) => !property.readOnly && !property.writeOnly && !property.addOnly && !property.aliasOf,
  );
  const assignments = (row: Row, skip: Record<string, string> = {}): string =>
    exported
      .filter((property) => row.values[property.name] !== undefined && row.values[property.name] !== skip[property.name])
      .map((property) => `${property.name}=${quoteValue(exportedValue(property, row.values[property.name] ?? ""))}`)
      .join(" ");
  // A row the router started with is exported as the `set` of what changed, or not at all.
  const changes = (row: Row, selector: string, factory: Record<string, string>): string[] => {
    const text = assignments(row, factory);
    return text ? [`set [ find ${selector} ] ${text}`] : [];
  };
  const rows = input.state.table(menu.path).rows.filter((row) => row.values.dynamic !== "true");
  switch (menu.kind) {
    case "singleton":
      return rows
        .map((row) => assignments(row))
        .filter(Boolean)
        .map((text) => `set ${text}`);
    case "fixed":
      return rows.flatMap((row) => {
        const key = menu.rowKey ?? "name";
        const keyValue = row.values[key] ?? "";
        const factory = input.factoryRows.get(menu.path)?.find((candidate) => candidate[key] === keyValue) ?? {};
        return changes(row, `${key}=${quoteValue(keyValue)}`, factory);
      });
    default: {
      const factoryRows = input.factoryRows.get(menu.path) ?? [];
      return rows.flatMap((row) => {
        const factory = factoryRows.find((values) => values.name !== undefined && values.name === row.values.name);
        // A list ships with one item flagged default (the hotspot profiles), which RouterOS
        // exports as `set [ find default=yes ]`.
        return factory ? changes(row, "default=yes", factory) : [`add ${assignments(row)}`.trimEnd()];
      });
    }
  }
}
