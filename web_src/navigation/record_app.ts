// A link straight to one of isp_core's records (/odoo/isp.mac.profile/7, or a form whose action no
// menu opens) names no app, so Odoo's web client shows it under the app the tab showed last (often
// Discuss) or under none. Such a record belongs to the ISP app: the web client is told so once the
// link has loaded.
import type { AppMenu } from "@web/webclient/webclient";

const ISP_APP_MENU = "isp_core.isp_root_menu";
// Every model of isp_core and of the addons built on it is named "isp.<thing>".
const ISP_MODEL_PREFIX = "isp.";

/**
 * The ISP app's menu when the loaded record is one of isp_core's, no menu opens its action (a menu
 * that does already chose its app) and another app, or none, is shown; else null.
 */
export function appForRecord(
  resModel: string | false | undefined,
  actionId: number | undefined,
  menus: AppMenu[],
  currentAppId: number | undefined,
): AppMenu | null {
  if (typeof resModel !== "string" || !resModel.startsWith(ISP_MODEL_PREFIX)) return null;
  if (actionId && menus.some((menu) => menu.actionID === actionId)) return null;
  const app = menus.find((menu) => menu.xmlid === ISP_APP_MENU) ?? null;
  return app && app.id !== currentAppId ? app : null;
}
