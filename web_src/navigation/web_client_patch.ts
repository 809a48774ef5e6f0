// Odoo's web client, told which app shows one of isp_core's records opened by a link (record_app.ts).
import { patch } from "@web/core/utils/patch";
import { WebClient } from "@web/webclient/webclient";
import { appForRecord } from "./record_app.ts";

export function showIspRecordsUnderTheIspApp(): void {
  patch(WebClient.prototype, {
    async loadRouterState(this: WebClient): Promise<void> {
      await super.loadRouterState();
      const action = this.actionService.currentController?.action;
      const app = appForRecord(action?.res_model, action?.id, this.menuService.getAll(), this.menuService.getCurrentApp()?.id);
      if (app) this.menuService.setCurrentMenu(app);
    },
  });
}
