import { MENU_ACTIONS } from "./commands/index.ts";
import { exportConfig } from "./engine/export.ts";
import { API_ONLY_COMMANDS, expandCommand, unknownCommand } from "./command-path.ts";
import { listen } from "./engine/follow.ts";
import {
  addressedRows,
  argumentsOf,
  commandsOf,
  formatId,
  rejectUnknown,
  runMenuCommand,
  type CommandReply,
  type MenuCommand,
  type MenuContext,
} from "./engine/menu-engine.ts";
import type { Request } from "./engine/request.ts";
import type { MenuSchema } from "./engine/schema.ts";
import type { RouterState } from "./engine/state.ts";
import { interrupted, Trap, TrapCategory } from "./engine/trap.ts";
import { factoryRows, findMenu, MENUS, type FactorySettings } from "./menus/index.ts";
import { bind, unbind } from "./simulator/dhcp.ts";
import { httpGet } from "./simulator/http.ts";
import type { ScriptRunner } from "./simulator/script-runner.ts";

export interface RouterOptions {
  version: string;
  state: RouterState;
  factory: FactorySettings;
  scripts: ScriptRunner;
  /** Called after every configuration change (writes the state file). */
  onChange: () => void;
}

/** Menus whose items record the user who added them. */
const OWNED_MENUS = new Set(["/system/script", "/system/scheduler"]);

/** Commands that exist only on the emulator; see the README. */
const SIMULATOR_COMMANDS = new Set(["/simulator/dhcp/bind", "/simulator/dhcp/unbind", "/simulator/http/get", "/simulator/hold"]);

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

  /**
   * `signal` aborts when the client cancels the command (streaming commands and `/simulator/hold`
   * wait for it); `user` is who runs it (the API session's login, or a script's owner).
   */
  async execute(request: Request, signal: AbortSignal, user = "admin"): Promise<CommandReply> {
    if (request.command === "/export") return { items: [], ret: this.export() };
    if (SIMULATOR_COMMANDS.has(request.command)) return this.simulate(request, signal);
    const command = expandCommand(request.command, this.version, emulatedNames);
    const action = MENU_ACTIONS.get(command);
    if (action) return action.run(request.args, this.context, { scripts: this.options.scripts, user });
    const separator = command.lastIndexOf("/");
    const menu = findMenu(command.slice(0, separator));
    // A menu RouterOS has but the emulator does not is refused as an unknown one.
    if (!menu) throw unknownCommand(command.slice(0, separator).split("/").at(-1) ?? "");
    const verb = command.slice(separator + 1);
    if (verb === "listen" && menu.kind !== "singleton") return listen(menu, request.query, request.proplist, this.context);
    const menuCommand = commandsOf(menu, this.version).find((candidate) => candidate === (verb === "getall" ? "print" : verb));
    if (!menuCommand) throw new Trap("no such command", TrapCategory.missingItem);
    if (menu.storedIn && menuCommand !== "print" && menuCommand !== "get" && menuCommand !== "find") {
      return this.changeStoredItems(menu, menuCommand, request);
    }
    const reply = runMenuCommand(menu, menuCommand, request.args, request.query, request.proplist, this.context);
    if (menuCommand === "add" && OWNED_MENUS.has(menu.path) && !request.args.has("owner")) this.setOwner(menu.path, reply.ret, user);
    return reply;
  }

  /** A script or scheduler item belongs to the user who added it (manual, Scripting and Scheduler: `owner`). */
  private setOwner(path: string, id: string | undefined, user: string): void {
    const row = this.options.state.table(path).rows.find((candidate) => formatId(candidate.id) === id);
    if (!row) return;
    row.values.owner = user;
    this.options.onChange();
  }

  /** `/interface set|enable|disable|comment`: each item changes in the menu that keeps it, with that menu's checks. */
  private changeStoredItems(view: MenuSchema, command: MenuCommand, request: Request): CommandReply {
    rejectUnknown(request.args, argumentsOf(view, command, this.version));
    const ids = new Set(addressedRows(view, request.args, this.context).map((row) => row.id));
    for (const path of view.storedIn ?? []) {
      const owner = findMenu(path);
      const rows = this.context.state.table(path).rows.filter((row) => ids.has(row.id));
      if (!owner || rows.length === 0) continue;
      const args = new Map(request.args);
      args.delete(".id");
      args.set("numbers", rows.map((row) => formatId(row.id)).join(","));
      runMenuCommand(owner, command, args, [], undefined, this.context);
    }
    return { items: [] };
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
      case "/simulator/http/get":
        return httpGet(request.args, this.context);
      default:
        // Never answers on its own: lets clients test their timeouts and `/cancel`.
        return new Promise((_resolve, reject) => {
          signal.addEventListener("abort", () => reject(interrupted()), { once: true });
        });
    }
  }
}

/** Names the emulator answers besides RouterOS's command trees: the API-only commands of its menus. */
function emulatedNames(parent: string): string[] {
  return findMenu(parent) ? API_ONLY_COMMANDS : [];
}
