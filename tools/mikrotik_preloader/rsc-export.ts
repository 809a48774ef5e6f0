/**
 * `--export-rsc FILE`: the whole desired state as a RouterOS script, for operators who paste
 * configs by hand. It is written for a router that has none of it yet, and it never holds a
 * secret: the password, the onboarding token and, in agent mode, the router key are
 * placeholders the operator fills in.
 */
import { addProperties, ROUTER_KEY_PLACEHOLDER, type DesiredObject } from "./desired-state.ts";
import { scriptString } from "../routeros/index.ts";
import { OLDEST_CHECKED_VERSION } from "./router-release.ts";

export const RSC_PLACEHOLDERS = {
  mgmtPassword: "{{MIKROTIK_MGMT_PASS}}",
  macToken: "{{ISP_MAC_TOKEN}}",
} as const;

function consoleMenu(menu: string): string {
  return `/${menu.split("/").filter(Boolean).join(" ")}`;
}

function consoleValue(value: string): string {
  return /^[A-Za-z0-9._:/,*-]+$/.test(value) ? value : scriptString(value);
}

function assignments(props: Record<string, string>): string {
  return Object.entries(props)
    .map(([prop, value]) => `${prop}=${consoleValue(value)}`)
    .join(" ");
}

/**
 * The script cannot see the router's rules beforehand, so it looks itself: the rule goes above
 * the first static rule, as the preloader places it when connected, or is simply added when
 * there is none, since `place-before` would have nothing to name.
 */
function addedFirst(menu: string, add: string): string {
  const staticRows = `[${menu} find dynamic=no]`;
  return [`:if ([:len ${staticRows}] = 0) do={`, add, "} else={", `${add} place-before=[:pick ${staticRows} 0]`, "}"].join("\n");
}

/**
 * Odoo's CA, as the preloader imports it when connected: through a file, then named and trusted
 * by its fingerprint (the import names it after the file). RouterOS writes a file in the
 * background, hence the pause before the import.
 */
function certificateImport(object: DesiredObject, pem: string): string {
  const name = object.locate.by === "name" ? object.locate.name : "";
  const fileName = `${name}.pem`;
  return [
    `/file add name=${consoleValue(fileName)} contents=${scriptString(pem)}`,
    ":delay 2s",
    `/certificate import file-name=${consoleValue(fileName)} name=${consoleValue(name)} passphrase=""`,
    `/certificate set [find fingerprint=${object.props.fingerprint ?? ""}] name=${consoleValue(name)} trusted=yes`,
    `/file remove [find name=${consoleValue(fileName)}]`,
  ].join("\n");
}

function command(object: DesiredObject): string {
  const menu = consoleMenu(object.menu);
  if (object.importPem !== undefined) return certificateImport(object, object.importPem);
  switch (object.locate.by) {
    case "singleton":
      return `${menu} set ${assignments(object.props)}`;
    case "row":
      return `${menu} set [find name=${consoleValue(object.locate.name)}] ${assignments(object.props)}`;
    case "name":
    case "marker": {
      const add = `${menu} add ${assignments(addProperties(object))}`;
      return object.placeFirst ? addedFirst(menu, add) : add;
    }
  }
}

/**
 * The objects in the order the script adds them. Each rule placed first goes above the rules the
 * router holds when its line runs, so a run of such rules in one menu is added last one first:
 * they end up in the desired order (the connected preloader places them all before the rule that
 * was first before the run).
 */
function inScriptOrder(desired: DesiredObject[]): DesiredObject[] {
  const ordered: DesiredObject[] = [];
  let run: DesiredObject[] = [];
  const flush = () => {
    ordered.push(...run.reverse());
    run = [];
  };
  for (const object of desired) {
    if (!object.placeFirst || run.some((other) => other.menu !== object.menu)) flush();
    if (object.placeFirst) run.push(object);
    else ordered.push(object);
  }
  flush();
  return ordered;
}

export function renderRsc(desired: DesiredObject[]): string {
  const header = [
    "# isp_core router configuration, exported by isp-preloader for a router that has none of it yet.",
    `# Before pasting, replace ${RSC_PLACEHOLDERS.mgmtPassword} with the management user's password and`,
    `# ${RSC_PLACEHOLDERS.macToken} with Odoo's MAC onboarding token. The API restriction comes last.`,
    `# Its commands are those of RouterOS ${OLDEST_CHECKED_VERSION}, which later releases take too; 6.x is not verified.`,
    ...(desired.some((object) => object.step === "agent")
      ? [`# In agent mode, also replace ${ROUTER_KEY_PLACEHOLDER} with a key made by Generate Router Key on the router's form in Odoo.`]
      : []),
  ];
  const lines: string[] = [];
  let step = "";
  for (const object of inScriptOrder(desired)) {
    if (object.step !== step) {
      step = object.step;
      lines.push(`# ${step}`);
    }
    lines.push(command(object));
  }
  return [...header, ...lines, ""].join("\n");
}
