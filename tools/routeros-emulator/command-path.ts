import { treeChildren } from "./engine/grammar-commands.ts";
import { Trap, TrapCategory } from "./engine/trap.ts";

/**
 * Commands the API has besides those of the console's command trees (MikroTik's API manual):
 * `getall`, the old name of `print`, and `listen`, which streams a menu's changes.
 */
export const API_ONLY_COMMANDS = ["getall", "listen"];

/**
 * The full path of a command word as RouterOS reads it: each name may be abbreviated to a
 * prefix that only one name at its place has (`/sys/sch/print` is `/system/scheduler/print`), as
 * the console and the API accept (MikroTik's manual, "Command Line Interface": "Command and
 * argument names can be shortened"). `known` holds the names the emulator itself adds at a
 * place (its own menus, the API-only commands).
 */
export function expandCommand(command: string, version: string, known: (parent: string) => string[]): string {
  if (!command.startsWith("/")) throw unknownCommand(command);
  const names = command.slice(1).split("/");
  let parent = "";
  for (const [index, name] of names.entries()) {
    const children = new Set([...treeChildren(version, parent), ...known(parent)]);
    const candidates = children.has(name) || name === "" ? [name] : [...children].filter((candidate) => candidate.startsWith(name));
    if (candidates.length === 1 && children.has(candidates[0] ?? "")) {
      parent = `${parent}/${candidates[0]}`;
      continue;
    }
    // The last name is the command: a menu without it answers "no such command" itself.
    if (index === names.length - 1 && index > 0) return `${parent}/${name}`;
    throw unknownCommand(name);
  }
  return parent;
}

/**
 * An unknown menu is answered with two traps, the second "no such command prefix"
 * (Home Assistant issue home-assistant/core#68115, on RouterOS 7: "no such command or directory
 * (routerboard), no such command prefix", which librouteros raises as a MultiTrapError). A
 * command word without a leading slash is named whole.
 */
export function unknownCommand(name: string): Trap {
  return new Trap(`no such command or directory (${name})`, TrapCategory.missingItem, new Trap("no such command prefix", TrapCategory.missingItem));
}
