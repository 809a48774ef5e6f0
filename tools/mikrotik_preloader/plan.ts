/**
 * The diff engine: desired objects against the router's current rows → a plan of adds, changes
 * and removes, plus the conflicts that must stop the run before anything is written. Pure: it
 * reads a snapshot and returns data, so every rule here is tested without a router.
 */
import { CUSTOMER_ACCESS_COMMENT_PREFIX } from "../contract.ts";
import { ENV } from "./secrets.ts";
import { addProperties, LOCKDOWN_STEPS, MARKER_PREFIX, OPTIONAL_MENUS, type DesiredObject, type StepName } from "./desired-state.ts";
import { durationSeconds } from "../routeros/duration.ts";
import { normalizeCidrList } from "./ipv4.ts";

export type Row = Record<string, string>;

export interface RouterSnapshot {
  /** Rows of each menu the desired state touches, as `print` returned them. */
  menus: Record<string, Row[]>;
  /** Objects (by objectKey) whose secret properties the router proved stale (e.g. a refused management login). */
  staleSecrets: ReadonlySet<string>;
}

export type PlanItem =
  | {
      action: "add";
      step: StepName;
      menu: string;
      props: Row;
      hidden: string[];
      label: string;
      /** Made by `/certificate import` of this PEM instead of by `add`. */
      importPem?: string;
      /** The row this one replaces, removed first: one whose immutable properties differ. */
      replaces?: string;
    }
  | {
      action: "change";
      step: StepName;
      menu: string;
      id: string | null;
      props: Row;
      hidden: string[];
      label: string;
      /** It writes a secret the router holds another value of (the management password): a rotation. */
      rotatesSecret?: boolean;
    }
  | { action: "remove"; step: StepName; menu: string; id: string; label: string };

export interface Conflict {
  object: DesiredObject;
  message: string;
}

export interface RouterPlan {
  items: PlanItem[];
  conflicts: Conflict[];
}

/** Values RouterOS prints differently from how they are written. */
const BOOLEAN_WORDS: Record<string, string> = { yes: "true", no: "false", true: "true", false: "false" };
const SET_VALUED = new Set(["login-by", "policy", "servers"]);
const CIDR_LIST_VALUED = new Set(["address"]);
/** Properties shown as a label in printed plans: the scripts hold the onboarding token and the router key. */
const PRINTED_AS = new Map([
  ["lease-script", "<generated lease-script>"],
  ["source", "<generated script>"],
]);
/** Scripts, which RouterOS may give back with other line ends or trailing space. */
const SCRIPT_VALUED = new Set(["lease-script", "source", "on-event"]);

export function sameValue(menu: string, prop: string, desired: string, current: string | undefined): boolean {
  if (current === undefined) return desired === "";
  if (desired === current) return true;
  if (BOOLEAN_WORDS[desired] !== undefined && BOOLEAN_WORDS[desired] === BOOLEAN_WORDS[current]) return true;
  if (SCRIPT_VALUED.has(prop)) return desired.replace(/\r\n/g, "\n").trimEnd() === current.replace(/\r\n/g, "\n").trimEnd();
  if (prop.endsWith("-time") || prop === "interval")
    return durationSeconds(desired) !== undefined && durationSeconds(desired) === durationSeconds(current);
  if (SET_VALUED.has(prop)) return [...desired.split(",")].sort().join(",") === [...current.split(",")].sort().join(",");
  // RouterOS prints a certificate's SHA-256 fingerprint as bare hex; other tools add colons and capitals.
  if (prop === "fingerprint") return desired.replaceAll(":", "").toLowerCase() === current.replaceAll(":", "").toLowerCase();
  if (menu === "/ip/service" && CIDR_LIST_VALUED.has(prop)) {
    const normalize = (list: string) => normalizeCidrList(list.split(",")).sort().join(",");
    return normalize(desired) === normalize(current);
  }
  return false;
}

function valueOf(object: DesiredObject, prop: string): string | undefined {
  return prop === "name" && object.locate.by === "name" ? object.locate.name : object.props[prop];
}

/** What names an object across desired states built apart (with and without the router's key, say). */
export function objectKey(object: DesiredObject): string {
  return `${object.menu} ${describe(object)}`;
}

function describe(object: DesiredObject): string {
  switch (object.locate.by) {
    case "marker":
      return object.locate.marker;
    case "name":
    case "row":
      return object.locate.name;
    case "singleton":
      return object.menu;
  }
}

/** The row this object already is, if any. */
function findOwnRow(object: DesiredObject, rows: Row[]): Row | undefined {
  const locate = object.locate;
  switch (locate.by) {
    case "marker":
      return rows.find((row) => row.comment === locate.marker);
    case "name": {
      // Under a name the config no longer uses, the preloader's own row is still found by its marker.
      const markerComment = object.addProps?.comment;
      return rows.find((row) => row.name === locate.name) ?? rows.find((row) => markerComment !== undefined && row.comment === markerComment);
    }
    case "row":
      return rows.find((row) => row.name === locate.name);
    case "singleton":
      return rows[0];
  }
}

/** For an object not on the router yet: an unmanaged row that already does its job, or one in its way. */
function checkUniqueness(object: DesiredObject, rows: Row[], own: Row | undefined): { satisfiedBy?: Row; conflict?: string } {
  const unique = object.unique;
  if (unique === undefined) return {};
  const agrees = (row: Row, props: string[]) => props.every((prop) => sameValue(object.menu, prop, valueOf(object, prop) ?? "", row[prop]));
  const clashing = rows.filter((row) => row !== own && agrees(row, unique.props));
  for (const row of clashing) {
    if ("conflict" in unique && !agrees(row, unique.equivalentWhen)) {
      return { conflict: unique.conflict(row) };
    }
    if (own === undefined) return { satisfiedBy: row };
  }
  return {};
}

/** A rule that must see packets before the router's own rules is placed above the first static one. */
function placement(object: DesiredObject, rows: Row[]): Row {
  const firstStatic = rows.find((row) => row.dynamic !== "true" && row[".id"] !== undefined);
  return object.placeFirst && firstStatic !== undefined ? { "place-before": firstStatic[".id"] ?? "" } : {};
}

/**
 * Properties a newer RouterOS may print under a new name: 7.24 calls `/ip/service address`
 * `available-from`. The preloader writes the old name, which every 7.x accepts.
 */
const PRINTED_ALIASES: Record<string, Record<string, string>> = { "/ip/service": { address: "available-from" } };

function currentValue(menu: string, row: Row, prop: string): string | undefined {
  const alias = PRINTED_ALIASES[menu]?.[prop];
  return row[prop] ?? (alias === undefined ? undefined : row[alias]);
}

/** For a property whose desired value is one member of a list: the list with it, or undefined when it is there (or `all` is). */
function withMember(current: string | undefined, member: string): string | undefined {
  // `none` is the list's word for empty (7.24's builtin-trust-store).
  const members = (current ?? "").split(",").filter((word) => word !== "" && word !== "none");
  return members.includes(member) || members.includes("all") ? undefined : [...members, member].join(",");
}

function changedProps(object: DesiredObject, row: Row, secretsStale: boolean): Row {
  const changed: Row = {};
  // A rename: the row was found by its marker under the name the config used before.
  if (object.locate.by === "name" && row.name !== object.locate.name) changed.name = object.locate.name;
  for (const [prop, value] of Object.entries(object.props)) {
    const current = currentValue(object.menu, row, prop);
    if (object.includes?.includes(prop)) {
      const list = withMember(current, value);
      if (list !== undefined) changed[prop] = list;
    } else if (!sameValue(object.menu, prop, value, current)) {
      changed[prop] = value;
    }
  }
  // Nothing tells whether a renamed user's password is the current one, so it is written again.
  if (secretsStale || changed.name !== undefined) Object.assign(changed, object.secretProps);
  return changed;
}

function planObject(object: DesiredObject, snapshot: RouterSnapshot, claimed: Set<Row>): { item?: PlanItem; conflict?: string } {
  const rows = snapshot.menus[object.menu] ?? [];
  const own = findOwnRow(object, rows);
  const { satisfiedBy, conflict } = checkUniqueness(object, rows, own);
  if (conflict !== undefined) return { conflict };
  const hidden = Object.keys(object.secretProps ?? {});
  const label = describe(object);
  if (own === undefined) {
    if (satisfiedBy !== undefined) {
      claimed.add(satisfiedBy);
      return {};
    }
    // A service row that this RouterOS build lacks (no api-ssl, say) has nothing to restrict.
    if (object.locate.by === "row") return {};
    // A settings menu always has its one row; one that printed none is set, never added to.
    if (object.locate.by === "singleton") {
      return { item: { action: "change", step: object.step, menu: object.menu, id: null, props: changedProps(object, {}, false), hidden, label } };
    }
    const props = { ...addProperties(object), ...placement(object, rows) };
    return { item: { action: "add", step: object.step, menu: object.menu, props, hidden, label, importPem: object.importPem } };
  }
  claimed.add(own);
  const replaced = object.immutable?.some((prop) => !sameValue(object.menu, prop, object.props[prop] ?? "", own[prop]));
  if (replaced && own[".id"] !== undefined) {
    const props = addProperties(object);
    return { item: { action: "add", step: object.step, menu: object.menu, props, hidden, label, importPem: object.importPem, replaces: own[".id"] } };
  }
  const stale = snapshot.staleSecrets.has(objectKey(object));
  const props = changedProps(object, own, stale);
  if (Object.keys(props).length === 0) return {};
  const rotatesSecret = stale && hidden.some((prop) => prop in props);
  return { item: { action: "change", step: object.step, menu: object.menu, id: own[".id"] ?? null, props, hidden, label, rotatesSecret } };
}

/**
 * Rows marked as ours that no desired object claims any more, e.g. a port dropped from lan_ports.
 * What Odoo's customer-access jobs made in the same menus (a suspended address, its proxy redirect)
 * is Odoo's, never a leftover.
 */
function leftoverRemovals(desired: DesiredObject[], snapshot: RouterSnapshot, claimed: Set<Row>): PlanItem[] {
  const stepOfMenu = new Map([
    ...desired.map((object): [string, StepName] => [object.menu, object.step]),
    ...OPTIONAL_MENUS.map((optional): [string, StepName] => [optional.menu, optional.step]),
  ]);
  // Menus in the reverse of the order they are added in, so dependents go first: ports before
  // their bridge, the DHCP server before its pool.
  const removals: PlanItem[] = [];
  for (const [menu, step] of [...stepOfMenu].reverse()) {
    for (const row of snapshot.menus[menu] ?? []) {
      const id = row[".id"];
      const ours = row.comment?.startsWith(MARKER_PREFIX) && !row.comment.startsWith(CUSTOMER_ACCESS_COMMENT_PREFIX);
      if (!claimed.has(row) && id !== undefined && ours) {
        removals.push({ action: "remove", step, menu, id, label: row.comment });
      }
    }
  }
  return removals;
}

/**
 * Adds and changes follow the desired order; removals come after them (nothing still refers to
 * what goes away) and before the API restriction, which is always last.
 */
export function computePlan(desired: DesiredObject[], snapshot: RouterSnapshot): RouterPlan {
  const claimed = new Set<Row>();
  const items: PlanItem[] = [];
  const conflicts: Conflict[] = [];
  for (const object of desired) {
    const { item, conflict } = planObject(object, snapshot, claimed);
    if (conflict !== undefined) conflicts.push({ object, message: conflict });
    if (item !== undefined) items.push(item);
  }
  const last = LOCKDOWN_STEPS.flatMap((step) => items.filter((item) => item.step === step));
  const ordered = [...items.filter((item) => !LOCKDOWN_STEPS.includes(item.step)), ...leftoverRemovals(desired, snapshot, claimed), ...last];
  return { items: ordered, conflicts };
}

function printedValue(item: { hidden: string[] }, prop: string, value: string): string {
  if (item.hidden.includes(prop)) return "<secret>";
  const label = PRINTED_AS.get(prop);
  if (label !== undefined) return label;
  return /[\s"]/.test(value) || value === "" ? JSON.stringify(value) : value;
}

/** One line per item: `+ /ip/pool name=isp-lan-pool ranges=...`, `~ ...`, `- ...`. */
export function formatPlanItem(item: PlanItem): string {
  if (item.action === "remove") return `- ${item.menu} ${item.id} (${item.label})`;
  const props = Object.entries(item.props)
    .map(([prop, value]) => `${prop}=${printedValue(item, prop, value)}`)
    .join(" ");
  const sign = item.action === "add" ? "+" : "~";
  const target = item.action === "add" || item.id === null ? "" : ` ${item.id} (${item.label})`;
  if (item.action === "add" && item.importPem !== undefined) {
    const replacing = item.replaces === undefined ? "" : ` (replaces ${item.replaces}, another CA under that name)`;
    return `+ ${item.menu} import ${props}${replacing}`;
  }
  const rotation = item.action === "change" && item.rotatesSecret ? `  !! PASSWORD CHANGE: ${ENV.mgmtPassword} does not log in as this user` : "";
  return `${sign} ${item.menu}${target} ${props}${rotation}`;
}
