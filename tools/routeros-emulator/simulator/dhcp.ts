import { formatId, rejectUnknown, unmatchedValue, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import type { Row } from "../engine/state.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { dhcpLease, dhcpServer } from "../menus/dhcp-server.ts";
import { pool } from "../menus/ip.ts";
import { normalizeMac } from "../menus/properties.ts";
import { firstFreeAddress } from "./pool.ts";

/** Runs a server's lease-script; a script failure surfaces as a category 3 Trap. */
export type LeaseScriptRunner = (source: string, variables: Record<string, string>) => Promise<void>;

const BIND_ARGUMENTS = ["server", "mac-address", "host-name"];
const UNBIND_ARGUMENTS = ["mac-address"];

function required(args: Map<string, string>, name: string): string {
  const value = args.get(name);
  if (value === undefined || value === "") throw new Trap(`missing value(s) of argument(s) ${name}`, TrapCategory.argumentValue);
  return value;
}

/**
 * `/simulator/dhcp/bind`: a client with this MAC asks `server` for an address. The lease is
 * created (dynamic, from the server's pool) or refreshed, then the server's lease-script runs
 * with `leaseBound=1`. Answers with the lease's `.id`.
 */
export async function bind(args: Map<string, string>, context: MenuContext, runScript: LeaseScriptRunner): Promise<CommandReply> {
  rejectUnknown(args, BIND_ARGUMENTS);
  const serverName = required(args, "server");
  const mac = normalizeMac(required(args, "mac-address"));
  const hostName = args.get("host-name") ?? "";
  const server = context.state.rowNamed(dhcpServer.path, serverName);
  if (!server) throw unmatchedValue("server");
  if (server.values.disabled === "true") throw new Trap(`failure: dhcp server ${serverName} is disabled`, TrapCategory.general);

  const leases = context.state.table(dhcpLease.path).rows;
  let lease = leases.find((row) => row.values["mac-address"] === mac && [serverName, "all", undefined].includes(row.values.server));
  if (!lease) {
    const address = allocateAddress(server, leases, context);
    lease = context.state.insert(dhcpLease.path, { address, "mac-address": mac, server: serverName, dynamic: "true" });
  }
  const address = lease.values.address ?? "";
  Object.assign(lease.values, {
    status: "bound",
    "host-name": hostName,
    "active-address": address,
    "active-mac-address": mac,
    "active-server": serverName,
    "last-seen": "0s",
  });
  context.state.touched(dhcpLease.path, [lease]);
  context.changed();
  await runLeaseScript(
    server,
    { leaseBound: "1", leaseServerName: serverName, leaseActMAC: mac, leaseActIP: address, "lease-hostname": hostName },
    runScript,
  );
  return { items: [], ret: formatId(lease.id) };
}

/**
 * `/simulator/dhcp/unbind`: the lease of this MAC ends. A dynamic lease disappears, a static
 * one goes back to `waiting`; then the server's lease-script runs with `leaseBound=0`.
 */
export async function unbind(args: Map<string, string>, context: MenuContext, runScript: LeaseScriptRunner): Promise<CommandReply> {
  rejectUnknown(args, UNBIND_ARGUMENTS);
  const mac = normalizeMac(required(args, "mac-address"));
  const lease = context.state.table(dhcpLease.path).rows.find((row) => row.values["mac-address"] === mac && row.values.status === "bound");
  if (!lease) throw new Trap("no such item", TrapCategory.missingItem);
  const serverName = lease.values["active-server"] ?? "";
  const variables = {
    leaseBound: "0",
    leaseServerName: serverName,
    leaseActMAC: mac,
    leaseActIP: lease.values["active-address"] ?? "",
    "lease-hostname": lease.values["host-name"] ?? "",
  };
  if (lease.values.dynamic === "true") {
    context.state.remove(dhcpLease.path, [lease]);
  } else {
    for (const name of ["host-name", "active-address", "active-mac-address", "active-server"]) delete lease.values[name];
    lease.values.status = "waiting";
    context.state.touched(dhcpLease.path, [lease]);
  }
  context.changed();
  const server = context.state.rowNamed(dhcpServer.path, serverName);
  if (server) await runLeaseScript(server, variables, runScript);
  return { items: [] };
}

function allocateAddress(server: Row, leases: readonly Row[], context: MenuContext): string {
  const poolName = server.values["address-pool"] ?? "";
  const addressPool = context.state.rowNamed(pool.path, poolName);
  if (!addressPool) throw new Trap(`failure: dhcp server ${server.values.name} has no address pool`, TrapCategory.general);
  const used = new Set(leases.map((row) => row.values.address ?? ""));
  const address = firstFreeAddress(addressPool.values.ranges ?? "", used);
  if (address === undefined) throw new Trap(`failure: pool ${poolName} has no free addresses`, TrapCategory.general);
  return address;
}

async function runLeaseScript(server: Row, variables: Record<string, string>, runScript: LeaseScriptRunner): Promise<void> {
  const source = server.values["lease-script"] ?? "";
  if (source.trim() !== "") await runScript(source, variables);
}
