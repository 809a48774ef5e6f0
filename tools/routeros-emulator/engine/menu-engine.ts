import { versionAtLeast } from "../version.ts";
import { treeHasCommand } from "./grammar-commands.ts";
import { itemCommandApplies, ITEM_COMMANDS, runItemCommand, type ItemCommand } from "./item-commands.ts";
import { printFollow } from "./follow.ts";
import { compileQuery } from "./query.ts";
import { DEFAULT_PRINT_ARGUMENTS, type MenuSchema, type PropertySchema } from "./schema.ts";
import type { RouterState, Row } from "./state.ts";
import { Trap, TrapCategory } from "./trap.ts";

export interface CommandReply {
  items: Record<string, string>[];
  ret?: string;
  /** True for a `print`, whose empty answer is `!empty` on RouterOS 7.18+. */
  isPrint?: boolean;
  /**
   * A streaming command (`listen`, `print follow`, `monitor-traffic`): after `items`, it emits
   * rows until `signal` aborts (a `/cancel`), then rejects with the `interrupted` trap.
   */
  follow?: (emit: (item: Record<string, string>) => void, signal: AbortSignal) => Promise<void>;
}

/** Everything a menu command needs: the data, the emulated version, and how to resolve references. */
export interface MenuContext {
  state: RouterState;
  version: string;
  menu(path: string): MenuSchema | undefined;
  /** Called after each change, so the state file can be written. */
  changed(): void;
}

export function formatId(id: number): string {
  return `*${id.toString(16).toUpperCase()}`;
}

/** The properties the menu has at this version. */
export function propertiesAt(menu: MenuSchema, version: string): PropertySchema[] {
  return menu.properties.filter(
    (property) =>
      (property.since === undefined || versionAtLeast(version, property.since)) &&
      (property.until === undefined || !versionAtLeast(version, property.until)),
  );
}

/** Every command verb a menu can answer; `commandsOf` says which ones a given menu has. */
export type MenuCommand = "add" | "print" | "remove" | "set" | "disable" | "enable" | ItemCommand;

const TOGGLE_COMMANDS: MenuCommand[] = ["disable", "enable"];

/** The commands a menu answers at this version: by its kind, and the item commands its command tree has. */
export function commandsOf(menu: MenuSchema, version: string): MenuCommand[] {
  const items = ITEM_COMMANDS.filter((command) => treeHasCommand(version, menu.path, command) && itemCommandApplies(menu, command, version));
  const toggles = menu.toggle ? TOGGLE_COMMANDS : [];
  switch (menu.kind) {
    case "list":
      return ["add", "print", "remove", "set", ...toggles, ...items];
    case "fixed":
      return ["print", "set", ...toggles, ...items];
    case "singleton":
      return ["print", "set", ...items];
    case "view":
      // A view whose items live in other menus (`/interface`) changes them there.
      return menu.storedIn ? ["print", "set", ...toggles, ...items] : ["print", ...items];
  }
}

/** The arguments a command accepts at this version, as RouterOS names them (`numbers` for `.id`). */
export function argumentsOf(menu: MenuSchema, command: MenuCommand, version: string): string[] {
  const writable = propertiesAt(menu, version).filter((property) => !property.readOnly);
  const addressed = menu.kind === "singleton" ? [] : ["numbers"];
  switch (command) {
    case "add":
      return writable.map((property) => property.name);
    case "set":
      return [
        ...addressed,
        ...writable
          .filter((property) => !property.addOnly && (property.setSince === undefined || versionAtLeast(version, property.setSince)))
          .map((property) => property.name),
      ];
    case "print":
      return menu.printArguments ?? DEFAULT_PRINT_ARGUMENTS;
    case "get":
      return [...(menu.kind === "singleton" || menu.unnumbered ? [] : ["number"]), "value-name"];
    case "find":
      return [];
    case "unset":
      return [...addressed, "value-name"];
    case "comment":
      return ["comment", ...addressed];
    case "move":
      return ["destination", ...addressed];
    default:
      return addressed;
  }
}

export function runMenuCommand(
  menu: MenuSchema,
  command: MenuCommand,
  args: Map<string, string>,
  query: string[],
  proplist: string[] | undefined,
  context: MenuContext,
): CommandReply {
  switch (command) {
    case "print":
      return print(menu, args, query, proplist, context);
    case "get":
    case "find":
    case "unset":
    case "comment":
    case "move":
      return runItemCommand(menu, command, args, query, context);
    case "add":
      return { items: [], ret: add(menu, args, context) };
    case "set":
      set(menu, args, context);
      return { items: [] };
    case "remove":
      remove(menu, args, context);
      return { items: [] };
    case "enable":
    case "disable":
      toggle(menu, args, command === "disable", context);
      return { items: [] };
    default:
      throw new Error(`menu command ${command satisfies never} has no implementation`);
  }
}

export function rowsOf(menu: MenuSchema, context: MenuContext): Row[] {
  if (menu.rows) return menu.rows(context.state, context.version);
  const rows = context.state.table(menu.path).rows;
  // A singleton that was never set still prints its defaults.
  return menu.kind === "singleton" && rows.length === 0 ? [{ id: 0, values: {} }] : rows;
}

/** An item as `print` shows it: `.id`, then every printable property with its value or default. */
export function printedRow(menu: MenuSchema, row: Row, printable: readonly PropertySchema[]): Record<string, string> {
  const printed: Record<string, string> = menu.kind === "singleton" || menu.unnumbered ? {} : { ".id": formatId(row.id) };
  for (const property of printable) {
    const value = row.values[property.aliasOf ?? property.name] ?? property.default;
    if (value !== undefined) printed[property.name] = value;
  }
  return menu.computed ? { ...printed, ...menu.computed(row.values) } : printed;
}

function print(menu: MenuSchema, args: Map<string, string>, query: string[], proplist: string[] | undefined, context: MenuContext): CommandReply {
  rejectUnknown(args, argumentsOf(menu, "print", context.version));
  const matches = compileQuery(query);
  const show = printer(menu, proplist, context);
  const printAll = (): Record<string, string>[] =>
    rowsOf(menu, context)
      .map((row) => printedRow(menu, row, printableProperties(menu, context)))
      .filter(matches)
      .map(show);
  const followed = printFollow(menu, args, matches, show, printAll, context);
  if (args.has("follow-only")) return { items: [], follow: followed };
  if (args.has("count-only")) return { items: [], ret: String(printAll().length), isPrint: true };
  return { items: printAll(), isPrint: !followed, ...(followed ? { follow: followed } : {}) };
}

/** The properties `print` shows. */
export function printableProperties(menu: MenuSchema, context: MenuContext): PropertySchema[] {
  return propertiesAt(menu, context.version).filter((property) => !property.writeOnly && !property.addOnly);
}

/** An item cut to `.proplist`, when there is one. */
export function printer(
  _menu: MenuSchema,
  proplist: string[] | undefined,
  _context: MenuContext,
): (item: Record<string, string>) => Record<string, string> {
  return proplist === undefined ? (item) => item : (item) => pick(item, proplist);
}

function pick(item: Record<string, string>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = item[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

/** Refuses any argument not in `accepted` (`.id` is always allowed), as RouterOS does. */
export function rejectUnknown(args: Map<string, string>, accepted: readonly string[]): void {
  for (const name of args.keys()) {
    if (name !== ".id" && !accepted.includes(name)) throw new Trap(`unknown parameter ${name}`, TrapCategory.argumentValue);
  }
}

/** RouterOS's answer to a value that is not one the argument takes. */
export function unmatchedValue(argument: string): Trap {
  return new Trap(`input does not match any value of ${argument}`, TrapCategory.argumentValue);
}

/**
 * Checks and canonicalises the property arguments of `add`/`set` (after `rejectUnknown`), as
 * the values `changing` (the rows being set; none for `add`) will all get.
 */
function propertyValues(menu: MenuSchema, args: Map<string, string>, context: MenuContext, changing: readonly Row[]): Record<string, string> {
  const properties = propertiesAt(menu, context.version);
  const values: Record<string, string> = {};
  for (const [name, raw] of args) {
    const property = properties.find((candidate) => candidate.name === name);
    // `.id`/`numbers` pick the rows, and add-only arguments (place-before) are never stored.
    if (!property || property.addOnly) continue;
    values[property.aliasOf ?? name] = checkedValue(property, raw, menu, context, changing);
  }
  return values;
}

function checkedValue(property: PropertySchema, raw: string, menu: MenuSchema, context: MenuContext, changing: readonly Row[]): string {
  let value = property.normalize ? property.normalize(raw) : raw;
  if (property.boolean) value = booleanValue(property.name, raw);
  if (property.references && value !== "" && !property.alsoAccepts?.includes(value) && !namesIn(property.references, context).has(value)) {
    throw unmatchedValue(property.name);
  }
  // Rows set together would share the value, and so clash with each other as well.
  if (
    property.unique &&
    (changing.length > 1 || context.state.table(menu.path).rows.some((row) => !changing.includes(row) && row.values[property.name] === value))
  ) {
    throw new Trap(`failure: already have item with such ${property.name}`, TrapCategory.argumentValue);
  }
  return value;
}

export function booleanValue(name: string, raw: string): string {
  if (raw === "yes" || raw === "true") return "true";
  if (raw === "no" || raw === "false") return "false";
  throw unmatchedValue(name);
}

/** The `name`s of a menu's items, which other menus refer to. */
function namesIn(path: string, context: MenuContext): Set<string> {
  const menu = context.menu(path);
  if (!menu) return new Set();
  return new Set(rowsOf(menu, context).flatMap((row) => row.values.name ?? []));
}

function add(menu: MenuSchema, args: Map<string, string>, context: MenuContext): string {
  rejectUnknown(args, argumentsOf(menu, "add", context.version));
  const values = propertyValues(menu, args, context, []);
  const properties = propertiesAt(menu, context.version);
  for (const property of properties) {
    if (property.autoName && values[property.name] === undefined) values[property.name] = freeName(menu, property, context);
  }
  const missing = properties.filter((property) => property.required && values[property.name] === undefined);
  if (missing.length > 0) {
    throw new Trap(`missing value(s) of argument(s) ${missing.map((property) => property.name).join(", ")}`, TrapCategory.argumentValue);
  }
  // `place-before` names the item the new one goes in front of; one that does not exist refuses the add.
  const placeBefore = args.get("place-before");
  const [target] = placeBefore === undefined ? [] : rowsNamed(menu, placeBefore, context);
  const row = context.state.insert(menu.path, values, menu.idSpace);
  if (target) context.state.move(menu.path, [row], target);
  context.changed();
  return formatId(row.id);
}

function freeName(menu: MenuSchema, property: PropertySchema, context: MenuContext): string {
  const taken = new Set(context.state.table(menu.path).rows.map((row) => row.values[property.name]));
  let index = 1;
  while (taken.has(`${property.autoName}${index}`)) index++;
  return `${property.autoName}${index}`;
}

/** An `.id` as RouterOS writes it: `*` and hexadecimal digits. */
const ID_REFERENCE = /^\*[0-9A-Fa-f]+$/;

/** The rows an `.id` (or `numbers`) argument names: `*1A`, a name, or a comma-separated list of those. */
export function addressedRows(menu: MenuSchema, args: Map<string, string>, context: MenuContext, argument = "numbers"): Row[] {
  const reference = argument === "numbers" ? (args.get(".id") ?? args.get("numbers")) : args.get(argument);
  if (reference === undefined) throw new Trap(`missing value(s) of argument(s) ${argument}`, TrapCategory.argumentValue);
  return rowsNamed(menu, reference, context);
}

/** The rows a reference names: `*1A`, a name, or a comma-separated list of those. */
export function rowsNamed(menu: MenuSchema, reference: string, context: MenuContext): Row[] {
  const rows = rowsOf(menu, context);
  const addressed = reference.split(",").map((part) => {
    const id = ID_REFERENCE.test(part) ? Number.parseInt(part.slice(1), 16) : undefined;
    const row = id === undefined ? rows.find((candidate) => candidate.values.name === part) : rows.find((candidate) => candidate.id === id);
    if (!row) throw new Trap("no such item", TrapCategory.missingItem);
    return row;
  });
  // A row named twice counts once, so that only distinct rows clash over a unique value.
  return [...new Set(addressed)];
}

function set(menu: MenuSchema, args: Map<string, string>, context: MenuContext): void {
  rejectUnknown(args, argumentsOf(menu, "set", context.version));
  if (menu.kind === "singleton") {
    const [row] = context.state.table(menu.path).rows;
    const values = propertyValues(menu, args, context, row ? [row] : []);
    if (row) {
      Object.assign(row.values, values);
      context.state.touched(menu.path, [row]);
    } else {
      context.state.insert(menu.path, values);
    }
    context.changed();
    return;
  }
  const rows = addressedRows(menu, args, context);
  // Every value is checked for all the rows before any row changes, so a refused set changes nothing.
  const values = propertyValues(menu, args, context, rows);
  for (const row of rows) Object.assign(row.values, values);
  context.state.touched(menu.path, rows);
  context.changed();
}

function remove(menu: MenuSchema, args: Map<string, string>, context: MenuContext): void {
  rejectUnknown(args, argumentsOf(menu, "remove", context.version));
  context.state.remove(menu.path, addressedRows(menu, args, context));
  context.changed();
}

function toggle(menu: MenuSchema, args: Map<string, string>, disabled: boolean, context: MenuContext): void {
  rejectUnknown(args, argumentsOf(menu, disabled ? "disable" : "enable", context.version));
  const rows = addressedRows(menu, args, context);
  for (const row of rows) row.values.disabled = String(disabled);
  context.state.touched(menu.path, rows);
  context.changed();
}
