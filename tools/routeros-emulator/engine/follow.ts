import { durationSeconds } from "../../routeros/duration.ts";
import { formatId, printableProperties, printedRow, rowsOf, type CommandReply, type MenuContext } from "./menu-engine.ts";
import { compileQuery } from "./query.ts";
import type { MenuSchema } from "./schema.ts";
import type { Row } from "./state.ts";
import { interrupted, Trap, TrapCategory } from "./trap.ts";

type Item = Record<string, string>;
export type Follow = NonNullable<CommandReply["follow"]>;

/**
 * What a streaming print sends after its first rows, until it is cancelled (MikroTik's API
 * manual, "print": `follow` and `follow-only` report every later change, `interval` prints the
 * whole list again every interval):
 * - a new or changed item is sent as print shows it, when it matches the query;
 * - a removed one as its `.id` with `.dead=true` (MikroTik forum, "API. Listening interfaces and
 *   bridges doesn't report deletions": listen and print follow send the same `.dead` replies).
 */
export function printFollow(
  menu: MenuSchema,
  args: Map<string, string>,
  matches: (item: Item) => boolean,
  show: (item: Item) => Item,
  printAll: () => Item[],
  context: MenuContext,
): Follow | undefined {
  const interval = args.get("interval");
  if (interval !== undefined) {
    const milliseconds = intervalMilliseconds(interval);
    return (emit, signal) =>
      untilCancelled(signal, () => {
        const timer = setInterval(() => printAll().forEach(emit), milliseconds);
        return () => clearInterval(timer);
      });
  }
  if (!args.has("follow") && !args.has("follow-only")) return undefined;
  return changes(menu, matches, show, context);
}

/** `listen` (an API command, MikroTik's API manual): every change to the menu's items from now on, as `follow-only` sends them. */
export function listen(menu: MenuSchema, query: string[], proplist: string[] | undefined, context: MenuContext): CommandReply {
  const show =
    proplist === undefined
      ? (item: Item) => item
      : (item: Item) => Object.fromEntries(proplist.flatMap((name) => (item[name] === undefined ? [] : [[name, item[name]]])));
  return { items: [], follow: changes(menu, compileQuery(query), show, context) };
}

function changes(menu: MenuSchema, matches: (item: Item) => boolean, show: (item: Item) => Item, context: MenuContext): Follow {
  // A view that shows other menus' items (`/interface`) changes when they do.
  const paths = [menu.path, ...(menu.storedIn ?? [])];
  // Changes are watched from the moment the command runs, as on a router; those made before
  // its first rows are out wait for them.
  const waiting: Item[] = [];
  let send = (item: Item): void => void waiting.push(item);
  const report = (row: Row, removed: boolean): void => {
    if (removed) {
      send({ ".id": formatId(row.id), ".dead": "true" });
      return;
    }
    // The row as this menu prints it (a view adds its own columns).
    const shown = rowsOf(menu, context).find((candidate) => candidate.id === row.id) ?? row;
    const item = printedRow(menu, shown, printableProperties(menu, context));
    if (matches(item)) send(show(item));
  };
  const stops = paths.map((path) => context.state.watch(path, report));
  return (emit, signal) =>
    untilCancelled(signal, () => {
      waiting.splice(0).forEach(emit);
      send = emit;
      return () => stops.forEach((stop) => stop());
    });
}

/** Runs `start` until the command is cancelled, then stops it and ends as a cancelled command does. */
export function untilCancelled(signal: AbortSignal, start: () => () => void): Promise<void> {
  return new Promise((_resolve, reject) => {
    const stop = start();
    if (signal.aborted) {
      stop();
      reject(interrupted());
      return;
    }
    signal.addEventListener(
      "abort",
      () => {
        stop();
        reject(interrupted());
      },
      { once: true },
    );
  });
}

/** A RouterOS duration (`1s`, `500ms`, `00:00:02`) as milliseconds; RouterOS refuses anything else. */
export function intervalMilliseconds(text: string): number {
  const milliseconds = /^(\d+)ms$/.exec(text);
  const seconds = milliseconds ? Number(milliseconds[1]) / 1000 : /^\d+$/.test(text) ? Number(text) : durationSeconds(text);
  if (seconds === undefined || seconds <= 0) throw new Trap(`value of interval out of range (${text})`, TrapCategory.argumentValue);
  return seconds * 1000;
}
