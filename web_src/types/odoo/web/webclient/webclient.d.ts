// The part of Odoo's `@web/webclient/webclient` that isp_core uses.
export interface AppMenu {
  id: number;
  appID: number;
  actionID: number | false;
  xmlid: string;
}

export class WebClient {
  actionService: { currentController?: { action: { id?: number; res_model?: string | false } } };
  menuService: {
    getAll(): AppMenu[];
    getCurrentApp(): AppMenu | undefined;
    setCurrentMenu(menu: AppMenu): void;
  };
  loadRouterState(): Promise<void>;
}
