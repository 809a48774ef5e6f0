// isp_billing's bundle entry: fills isp_core's dashboard extension point.
import { registry } from "@web/core/registry";
import { DASHBOARD_EXTENSIONS } from "../dashboard/dashboard_extensions.ts";
import { billingDashboardExtension } from "./billing_figures.ts";

registry.category(DASHBOARD_EXTENSIONS).add("isp_billing", billingDashboardExtension);
