// Words the UI uses for a profile's state, shared by the queue, the filters and the feed.
import { _t } from "../services/translation.ts";
import type { PendingReason, ProfileState } from "../services/isp_types.ts";

export function stateLabel(state: ProfileState): string {
  switch (state) {
    case "pending":
      return _t("Pending");
    case "approved":
      return _t("Approved");
    case "active":
      return _t("Active");
    case "rejected":
      return _t("Rejected");
  }
}

export const PROFILE_STATES: ProfileState[] = ["pending", "approved", "active", "rejected"];

export function pendingReasonLabel(reason: PendingReason): string {
  switch (reason) {
    case "no_default_plan":
      return _t("No valid default plan");
  }
}
