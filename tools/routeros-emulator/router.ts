import { MENU_ACTIONS } from "./commands/index.ts";
import { exportConfig } from "./engine/export.ts";
import { commandsOf, runMenuCommand, type CommandReply, type MenuContext } from "./engine/menu-engine.ts";
import type { Request } from "./engine/request.ts";
import type { MenuSchema } from "./engine/schema.ts";
import type { RouterState } from "./engine/state.ts";
import { interrupted, Trap, TrapCategory } from "./engine/trap.ts";
import { factoryRows, findMenu, MENUS, type FactorySettings } from "./menus/index.ts";
import { bind, unbind } from "./simulator/dhcp.ts";
import type { ScriptRunner } from "./simulator/script-runner.ts";

export interface RouterOptions {
  version: string;
  state: RouterState;
  factory: FactorySettings;
  scripts: ScriptRunner;
  /** Called after every configuration change (writes the state file). */
  onChange: () => void;
}

/** Commands that exist only on the emulator; see the README. */
const SIMULATOR_COMMANDS = new Set(["/simulator/dhcp/bind", "/simulator/dhcp/unbind", "/simulator/hold"]);

/** Runs one logged-in API command against the emulated configuration. */
export class Router {
  readonly context: MenuContext;

  constructor(private readonly options: RouterOptions) {
    this.context = {
      state: options.state,
      version: options.version,
      menu: findMenu,
      changed: options.onChange,
    };
  }

  get version(): string {
    return this.options.version;
  }

  /** `signal` aborts when the client cancels the command (only `/simulator/hold` waits for it). */
  async execute(request: Request, signal: AbortSignal): Promise<CommandReply> {
    const { command } = request;
    if (command === "/export") return { items: [], ret: this.export() };
    if (SIMULATOR_COMMANDS.has(command)) return this.simulate(request, signal);
    const action = MENU_ACTIONS.get(command);
    if (action) return action.run(request.args, this.context, this.options.scripts);
    const separator = command.lastIndexOf("/");
    const menuPath = command.slice(0, separator);
    const verb = command.slice(separator + 1);
    const menu = findMenu(menuPath);
    if (!menu) throw new Trap(`no such command or directory (${unknownSegment(menuPath)})`, TrapCategory.missingItem);
    const menuCommand = commandsOf(menu).find((candidate) => candidate === verb);
    if (!menuCommand) throw new Trap("no such command", TrapCategory.missingItem);
    return runMenuCommand(menu, menuCommand, request.args, request.query, request.proplist, this.context);
  }

  export(): string {
    return exportConfig({
      state: this.options.state,
      version: this.options.version,
      menus: MENUS,
      factoryRows: factoryRows(this.options.factory),
    });
  }

  private async simulate(request: Request, signal: AbortSignal): Promise<CommandReply> {
    switch (request.command) {
      case "/simulator/dhcp/bind":
        return bind(request.args, this.context, this.options.scripts.runLeaseScript);
      case "/simulator/dhcp/unbind":
        return unbind(request.args, this.context, this.options.scripts.runLeaseScript);
      default:
        // Never answers on its own: lets clients test their timeouts and `/cancel`.
        return new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(interrupted()), { once: true });
        });
    }
  }
}

/** The first path segment that is not a known menu or a prefix of one, as RouterOS names it. */
function unknownSegment(path: string): string {
  const segments = path.split("/").filter(Boolean);
  const known = (prefix: string): boolean => MENUS.some((menu: MenuSchema) => `${menu.path}/`.startsWith(`${prefix}/`));
  for (let index = 1; index <= segments.length; index++) {
    if (!known(`/${segments.slice(0, index).join("/")}`)) return segments[index - 1] ?? "";
  }
  return segments.at(-1) ?? "";
}
