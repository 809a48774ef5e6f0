/**
 * `--export-rsc FILE`: the whole desired state as a RouterOS script, for operators who paste
 * configs by hand. It is written for a router that has none of it yet, and it never holds a
 * secret: the password and the onboarding token are placeholders the operator fills in.
 */
import type { DesiredObject } from "./desired-state.ts";
import { scriptString } from "../routeros/index.ts";

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
  return Object.entries(props).map(([prop, value]) => `${prop}=${consoleValue(value)}`).join(" ");
}

function command(object: DesiredObject): string {
  const menu = consoleMenu(object.menu);
  switch (object.locate.by) {
    case "singleton":
      return `${menu} set ${assignments(object.props)}`;
    case "row":
      return `${menu} set [find name=${consoleValue(object.locate.name)}] ${assignments(object.props)}`;
    case "name":
      return `${menu} add ${assignments({ name: object.locate.name, ...object.props, ...object.addProps, ...object.secretProps })}`;
    case "marker":
      return `${menu} add ${assignments({ ...object.props, ...object.addProps, ...object.secretProps })}`;
  }
}

export function renderRsc(desired: DesiredObject[]): string {
  const header = [
    "# isp_core router configuration, exported by isp-preloader for a router that has none of it yet.",
    `# Before pasting, replace ${RSC_PLACEHOLDERS.mgmtPassword} with the management user's password and`,
    `# ${RSC_PLACEHOLDERS.macToken} with Odoo's MAC onboarding token. The API restriction comes last.`,
  ];
  const lines: string[] = [];
  let step = "";
  for (const object of desired) {
    if (object.step !== step) {
      step = object.step;
      lines.push(`# ${step}`);
    }
    lines.push(command(object));
  }
  return [...header, ...lines, ""].join("\n");
}
