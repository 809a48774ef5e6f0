// The RouterOS menus whose grammar the project commits: every menu the emulator serves (the
// preloader and Odoo's provisioning send commands to no other), /tool for the scripts'
// `/tool fetch`, and "/" for the global commands of scripts (`:foreach`, `:pick`, ...).
import { MENUS } from "../../tools/routeros-emulator/menus/index.ts";

export const GRAMMAR_MENUS: readonly string[] = ["/", ...MENUS.map((menu) => menu.path), "/tool"].sort();
