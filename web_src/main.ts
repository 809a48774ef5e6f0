// The bundle's entry: registers isp_core's service, client action and settings widget with Odoo.
import { registry } from "@web/core/registry";
import { session } from "@web/session";
import { DASHBOARD_EXTENSIONS } from "./dashboard/dashboard_extensions.ts";
import type { DashboardExtension } from "./dashboard/dashboard_extensions.ts";
import { MacProfileDashboard } from "./dashboard/mac_profile_dashboard.ts";
import { showIspRecordsUnderTheIspApp } from "./navigation/web_client_patch.ts";
import { createIspService, ISP_SERVICE_NAME } from "./services/isp_service.ts";
import type { OdooServices } from "./services/isp_service.ts";
import { OnboardingEndpoint } from "./settings/onboarding_endpoint.ts";
import { NetworkFollower } from "./subscription/network_follower.ts";

registry.category("services").add(ISP_SERVICE_NAME, {
  dependencies: ["orm", "bus_service", "action", "notification"],
  start(
    _env: unknown,
    services: {
      orm: OdooServices["orm"];
      bus_service: OdooServices["bus"];
      action: OdooServices["action"];
      notification: OdooServices["notification"];
    },
  ) {
    return createIspService({
      orm: services.orm,
      bus: services.bus_service,
      action: services.action,
      notification: services.notification,
      database: session.db,
      // The browser's zone, as Odoo's own views show datetimes: one event reads the same time on
      // the dashboard and on every form.
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      origin: window.location.origin,
      fetch: (input, init) => window.fetch(input, init),
      // Undefined on plain-HTTP pages (Odoo at its LAN address): copyText then says so.
      clipboard: navigator.clipboard,
      dashboardExtensions: () => registry.category(DASHBOARD_EXTENSIONS).getAll() as DashboardExtension[],
    });
  },
});

registry.category("actions").add("isp_core.mac_profile_dashboard", MacProfileDashboard);

registry.category("view_widgets").add("isp_core_onboarding_endpoint", {
  component: OnboardingEndpoint,
  extractProps: ({ attrs }: { attrs: Record<string, string> }) => ({ tokenField: attrs.token_field }),
});

registry.category("view_widgets").add("isp_core_network_follower", { component: NetworkFollower });

showIspRecordsUnderTheIspApp();
