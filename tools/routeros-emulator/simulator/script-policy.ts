import type { RouterState } from "../engine/state.ts";

/**
 * Who a script runs as, and with which policies. The manual (Scripting, "Script repository";
 * Scheduler) gives every stored script and scheduler item a `policy` and an `owner`: a script
 * may do only what its policies allow (fetch is a `test` command, configuration changes need
 * `write`, reading it `read`), and `/system script run` needs the caller to hold every policy of
 * the script unless the script has `dont-require-permissions=yes`. Global variables belong to a
 * user: a script uses its owner's, and touching another user's needs the `policy` policy.
 */
export interface RunAs {
  user: string;
  policy: ReadonlySet<string>;
}

/** RouterOS's script policies (the `policy` argument of `/system/script/add` in the command trees). */
export const ALL_POLICIES = ["ftp", "reboot", "read", "write", "policy", "test", "password", "sniff", "sensitive", "romon"];

/** What a router says when a script, or its caller, lacks a policy. */
export const NOT_ENOUGH_PERMISSIONS = "not enough permissions (9)";

/**
 * The policies of the built-in groups. `full` has them all; for `write` and `read` the manual
 * ("User") lists no script policies, so the emulator gives `write` all but policy, password and
 * sensitive, and `read` also not write.
 */
const GROUP_POLICIES: Record<string, readonly string[]> = {
  full: ALL_POLICIES,
  write: ALL_POLICIES.filter((name) => !["policy", "password", "sensitive"].includes(name)),
  read: ALL_POLICIES.filter((name) => !["write", "policy", "password", "sensitive"].includes(name)),
};

/** The system runs a DHCP server's lease-script itself, with every policy. */
export const SYSTEM: RunAs = { user: "*sys", policy: new Set(ALL_POLICIES) };

export function policySet(text: string | undefined): Set<string> {
  return new Set((text ?? ALL_POLICIES.join(",")).split(",").filter(Boolean));
}

/** An API user runs what its group allows. */
export function runAsUser(state: RouterState, name: string): RunAs {
  const user = state.rowNamed("/user", name);
  return { user: name, policy: new Set(GROUP_POLICIES[user?.values.group ?? ""] ?? []) };
}

export function lacks(run: RunAs, policies: Iterable<string>): boolean {
  for (const policy of policies) if (!run.policy.has(policy)) return true;
  return false;
}
