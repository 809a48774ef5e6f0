import { addressedRows, rejectUnknown, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import { dhcpLease } from "../menus/dhcp-server.ts";
import type { MenuAction } from "./command.ts";

/**
 * `/ip/dhcp-server/lease/make-static =numbers=`: a dynamic lease becomes a static one, keeping
 * its address and MAC, and stays bound while the client holds it (MikroTik's manual, "DHCP
 * Server", Leases: "make-static"). A lease that is static already is left as it is.
 */
export const leaseMakeStatic: MenuAction = {
  path: "/ip/dhcp-server/lease/make-static",
  argumentsAt: () => ["numbers"],
  run(args: Map<string, string>, context: MenuContext): CommandReply {
    rejectUnknown(args, leaseMakeStatic.argumentsAt(context.version));
    const rows = addressedRows(dhcpLease, args, context);
    for (const row of rows) row.values.dynamic = "false";
    context.state.touched(dhcpLease.path, rows);
    context.changed();
    return { items: [] };
  },
};
