// The five counters at the top of the dashboard; each opens the list it counts.
import { Component } from "@odoo/owl";
import { _t } from "../services/translation.ts";
import type { DashboardKpis } from "../services/isp_types.ts";

interface Tile {
  key: keyof DashboardKpis;
  label: string;
}

export class KpiTiles extends Component<{ kpis: DashboardKpis | null; onOpen: (key: keyof DashboardKpis) => void }> {
  static override template = "isp_core.KpiTiles";
  static override props = { kpis: { type: [Object, { value: null }] }, onOpen: Function };

  get tiles(): Tile[] {
    const tile = (key: keyof DashboardKpis, label: string): Tile => ({ key, label });
    return [
      // A count's label, not a device's state: Spanish needs the plural here.
      tile("pending", _t("Pending approval")),
      tile("online", _t("Online now")),
      tile("new_today", _t("New today")),
      tile("active_subscriptions", _t("Active subscriptions")),
      tile("offline_over_24h", _t("Offline > 24 h")),
    ];
  }
}
