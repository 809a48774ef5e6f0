import {
  addressedRows,
  argumentsOf,
  formatId,
  printableProperties,
  printedRow,
  rejectUnknown,
  rowsNamed,
  rowsOf,
  unmatchedValue,
  type CommandReply,
  type MenuContext,
} from "./menu-engine.ts";
import { compileQuery } from "./query.ts";
import type { MenuSchema } from "./schema.ts";
import { Trap, TrapCategory } from "./trap.ts";

/**
 * Commands on a menu's items besides add/print/set/remove: a menu has those of them that its
 * RouterOS command tree lists (MikroTik's manual, "Console": get, find, unset, comment, move).
 */
export const ITEM_COMMANDS = ["get", "find", "unset", "comment", "move"] as const;
export type ItemCommand = (typeof ITEM_COMMANDS)[number];

/** Whether the emulator's menu can do what the command needs (`comment` needs a comment, `move` an order). */
export function itemCommandApplies(menu: MenuSchema, command: ItemCommand, version: string): boolean {
  switch (command) {
    case "comment":
      return menu.kind !== "singleton" && argumentsOf(menu, "set", version).includes("comment");
    case "move":
      return menu.kind === "list";
    case "unset":
      return menu.kind === "list" || menu.kind === "fixed";
    default:
      return true;
  }
}

export function runItemCommand(
  menu: MenuSchema,
  command: ItemCommand,
  args: Map<string, string>,
  query: string[],
  context: MenuContext,
): CommandReply {
  rejectUnknown(args, argumentsOf(menu, command, context.version));
  switch (command) {
    case "get":
      return { items: [], ret: get(menu, args, context) };
    case "find":
      return { items: [], ret: find(menu, query, context) };
    case "unset":
      unset(menu, args, context);
      return { items: [] };
    case "comment":
      comment(menu, args, context);
      return { items: [] };
    case "move":
      move(menu, args, context);
      return { items: [] };
    default:
      throw new Error(`item command ${command satisfies never} has no implementation`);
  }
}

/** `get =number= =value-name=` answers `!done =ret=<value>`, as the API manual's examples show. */
function get(menu: MenuSchema, args: Map<string, string>, context: MenuContext): string {
  const [row] = menu.kind === "singleton" || menu.unnumbered ? rowsOf(menu, context) : addressedRows(menu, args, context, "number");
  const name = args.get("value-name");
  if (name === undefined) throw new Trap("missing value(s) of argument(s) value-name", TrapCategory.argumentValue);
  const printed = row ? printedRow(menu, row, printableProperties(menu, context)) : {};
  const value = name === ".id" && row ? formatId(row.id) : printed[name];
  if (value === undefined) throw unmatchedValue("value-name");
  return value;
}

/** `find` with print's query words answers the matching `.id`s, joined by `;` as RouterOS lists them. */
function find(menu: MenuSchema, query: string[], context: MenuContext): string {
  const matches = compileQuery(query);
  const printable = printableProperties(menu, context);
  return rowsOf(menu, context)
    .filter((row) => matches(printedRow(menu, row, printable)))
    .map((row) => formatId(row.id))
    .join(";");
}

/** `unset =numbers= =value-name=`: the property goes back to its default. */
function unset(menu: MenuSchema, args: Map<string, string>, context: MenuContext): void {
  const rows = addressedRows(menu, args, context);
  const name = args.get("value-name");
  const property = menu.properties.find((candidate) => candidate.name === name && !candidate.readOnly && !candidate.addOnly);
  if (!property) throw unmatchedValue("value-name");
  if (property.required) throw new Trap(`failure: ${property.name} cannot be unset`, TrapCategory.argumentValue);
  for (const row of rows) delete row.values[property.aliasOf ?? property.name];
  context.state.touched(menu.path, rows);
  context.changed();
}

function comment(menu: MenuSchema, args: Map<string, string>, context: MenuContext): void {
  const rows = addressedRows(menu, args, context);
  for (const row of rows) row.values.comment = args.get("comment") ?? "";
  context.state.touched(menu.path, rows);
  context.changed();
}

/** `move =numbers= [=destination=]`: the items go in front of `destination`, or last without one. */
function move(menu: MenuSchema, args: Map<string, string>, context: MenuContext): void {
  const rows = addressedRows(menu, args, context);
  const destination = args.get("destination");
  const [before] = destination === undefined ? [] : rowsNamed(menu, destination, context);
  context.state.move(menu.path, rows, before);
  context.changed();
}
