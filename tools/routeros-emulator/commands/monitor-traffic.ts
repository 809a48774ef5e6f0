import { intervalMilliseconds, untilCancelled } from "../engine/follow.ts";
import { rejectUnknown, unmatchedValue, type CommandReply, type MenuContext } from "../engine/menu-engine.ts";
import type { Row } from "../engine/state.ts";
import { Trap, TrapCategory } from "../engine/trap.ts";
import { allInterfaces, trafficRate } from "../menus/interfaces.ts";
import type { MenuAction } from "./command.ts";

/**
 * `/interface/monitor-traffic =interface=ether1[,ether2] [=once=] [=interval=]`: one reading per
 * interface at once, then, without `once`, one more every interval (1s by default) until
 * `/cancel` (MikroTik's manual, "Interface stats and monitor-traffic"; the command tree lists
 * `once` and `interval`). The emulator moves no packets: its readings are each interface's
 * steady rate, nothing while it is disabled.
 */
export const monitorTraffic: MenuAction = {
  path: "/interface/monitor-traffic",
  argumentsAt: () => ["interface", "once", "interval", "as-value", "without-paging", "duration"],
  run(args: Map<string, string>, context: MenuContext): CommandReply {
    rejectUnknown(args, monitorTraffic.argumentsAt(context.version));
    const names = args.get("interface");
    if (names === undefined || names === "") throw new Trap("missing value(s) of argument(s) interface", TrapCategory.argumentValue);
    const interfaces = allInterfaces.rows?.(context.state, context.version) ?? [];
    const watched = names.split(",").map((name) => {
      const row = interfaces.find((candidate) => candidate.values.name === name);
      if (!row) throw unmatchedValue("interface");
      return row;
    });
    const readings = (): Record<string, string>[] => watched.map(reading);
    if (args.has("once")) return { items: readings() };
    const milliseconds = intervalMilliseconds(args.get("interval") ?? "1s");
    return {
      items: readings(),
      follow: (emit, signal) =>
        untilCancelled(signal, () => {
          const timer = setInterval(() => readings().forEach(emit), milliseconds);
          return () => clearInterval(timer);
        }),
    };
  },
};

function reading(row: Row): Record<string, string> {
  const running = row.values.disabled !== "true";
  const rate = trafficRate(row.id);
  const rxBits = running ? rate.rxBytes * 8 : 0;
  const txBits = running ? rate.txBytes * 8 : 0;
  return {
    name: row.values.name ?? "",
    "rx-packets-per-second": String(Math.ceil(rxBits / 6400)),
    "rx-bits-per-second": String(rxBits),
    "fp-rx-packets-per-second": "0",
    "fp-rx-bits-per-second": "0",
    "rx-drops-per-second": "0",
    "rx-errors-per-second": "0",
    "tx-packets-per-second": String(Math.ceil(txBits / 6400)),
    "tx-bits-per-second": String(txBits),
    "fp-tx-packets-per-second": "0",
    "fp-tx-bits-per-second": "0",
    "tx-drops-per-second": "0",
    "tx-queue-drops-per-second": "0",
    "tx-errors-per-second": "0",
  };
}
