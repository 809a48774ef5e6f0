import type { RouterState, Row } from "./state.ts";

/** One property of a menu item, as the emulator accepts and prints it. */
export interface PropertySchema {
  name: string;
  /** Printed when the item has no value of its own. */
  default?: string;
  /** `add` fails without it. */
  required?: boolean;
  /** Printed but never accepted by `add`/`set` (e.g. `network`, `dynamic`). */
  readOnly?: boolean;
  /** Accepted but never printed (passwords). */
  writeOnly?: boolean;
  /** Only steers `add` (e.g. `place-before`); never stored or printed. */
  addOnly?: boolean;
  /** yes/no/true/false in, true/false out. */
  boolean?: boolean;
  /** The value must be the `name` of an item in this menu (e.g. "/interface"). */
  references?: string;
  /** No two items may share the value. */
  unique?: boolean;
  /** First version that has the property, when it is newer than 7.12. */
  since?: string;
  /** First version whose `set` takes it, when `add` took it earlier (7.12.2 names a file only once). */
  setSince?: string;
  /** First version that no longer has it. */
  until?: string;
  /** Another property this one stands for (RouterOS keeps old names as aliases). */
  aliasOf?: string;
  /** Words accepted besides the names of referenced items (e.g. "all", "none"). */
  alsoAccepts?: string[];
  /** When `add` gives no value, the first free `<autoName><N>` is used (RouterOS names "dhcp1", "queue1"). */
  autoName?: string;
  /** Checks and canonicalises an incoming value; throws a Trap when it is not valid. */
  normalize?: (value: string) => string;
}

/**
 * - `list`: items added and removed by the user (`/ip/address`).
 * - `fixed`: rows that exist from the start and are only `set` (`/ip/service`, ethernet ports).
 * - `singleton`: one unnamed item without `.id` (`/system/identity`).
 * - `view`: rows computed from elsewhere, print only (`/user/active`, `/log`).
 */
export type MenuKind = "list" | "fixed" | "singleton" | "view";

export interface MenuSchema {
  path: string;
  kind: MenuKind;
  properties: PropertySchema[];
  /** Has `enable`/`disable` and a `disabled` property. */
  toggle?: boolean;
  /** For `fixed` menus: the property that identifies a seeded row in an export. */
  rowKey?: string;
  /** Menus whose items share one `.id` counter (all interfaces do). */
  idSpace?: string;
  /** Values printed after the stored ones, derived from them (e.g. `network` from `address`). */
  computed?: (values: Record<string, string>) => Record<string, string>;
  /** A `view` of one unnamed item, printed without `.id` like a singleton (`/system/resource`). */
  unnumbered?: boolean;
  /** Rows as `print` shows them: a `view`'s, or a singleton's with live values (the clock); `version` is the RouterOS version emulated. */
  rows?: (state: RouterState, version: string) => Row[];
  /** Left out of `/export` (RouterOS does not export users or runtime state). */
  notExported?: boolean;
  /** For a view of items kept in other menus (`/interface`): those menus, where `set` and friends change them. */
  storedIn?: string[];
  /** Print arguments the menu takes (besides `.proplist`); all but `count-only` only change layout here. */
  printArguments?: string[];
}

export const DEFAULT_PRINT_ARGUMENTS = [
  "as-value",
  "count-only",
  "brief",
  "detail",
  "follow",
  "follow-only",
  "interval",
  "show-ids",
  "terse",
  "without-paging",
];
