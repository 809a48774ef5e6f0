// isp_billing's part of the MAC Profiles dashboard: monthly recurring revenue, what is overdue,
// and who is suspended for non-payment, as figures and attention lines.
import type { DashboardExtension, ExtensionFigures } from "../dashboard/dashboard_extensions.ts";
import { _t } from "../services/translation.ts";

/** What `isp.subscription.get_billing_dashboard_figures` answers; amounts come formatted. */
export interface BillingFigures {
  mrr: string;
  overdue_amount: string;
  overdue_count: number;
  suspended_for_non_payment: number;
}

const SUSPENDED_FOR_NON_PAYMENT_ACTION = "isp_billing.isp_subscription_action_non_payment";
const COLLECTIONS_ACTION = "isp_billing.isp_subscription_action_collections";

export function billingFigures(figures: BillingFigures): ExtensionFigures {
  const attention = [];
  if (figures.suspended_for_non_payment > 0) {
    attention.push({
      key: "suspended_for_non_payment",
      text: _t("Subscriptions suspended for non-payment: %s.", figures.suspended_for_non_payment),
      action: SUSPENDED_FOR_NON_PAYMENT_ACTION,
    });
  }
  return {
    tiles: [
      { key: "mrr", label: _t("Monthly recurring revenue"), value: figures.mrr, action: "isp_core.isp_subscription_action" },
      { key: "overdue_amount", label: _t("Overdue"), value: figures.overdue_amount, action: COLLECTIONS_ACTION },
      {
        key: "suspended_for_non_payment",
        label: _t("Suspended for non-payment"),
        value: String(figures.suspended_for_non_payment),
        action: SUSPENDED_FOR_NON_PAYMENT_ACTION,
      },
    ],
    attention,
  };
}

export const billingDashboardExtension: DashboardExtension = {
  async load({ call }) {
    return billingFigures(await call<BillingFigures>("isp.subscription", "get_billing_dashboard_figures"));
  },
};
