// One page of MAC profiles with the actions staff take on them, and the pager.
import { Component } from "@odoo/owl";
import type { DateTime } from "luxon";
import { _t } from "../services/translation.ts";
import type { ProfilePage, ProfileRow } from "../services/isp_types.ts";
import { subscriptionUrl } from "../services/isp_service.ts";
import { pendingReasonLabel, stateLabel } from "../shared/profile_labels.ts";
import { describeSeen } from "../shared/seen_time.ts";
import type { SeenTime } from "../shared/seen_time.ts";

export interface ProfileQueueProps {
  page: ProfilePage | null;
  offset: number;
  limit: number;
  now: DateTime;
  timeZone: string | undefined;
  busyIds: number[];
  onApprove(row: ProfileRow): void;
  onReject(row: ProfileRow): void;
  onConvert(row: ProfileRow): void;
  onPage(offset: number): void;
  /** Opens the subscription in the web client, keeping the breadcrumbs back to the dashboard. */
  onOpenSubscription(subscriptionId: number): void;
}

export class ProfileQueue extends Component<ProfileQueueProps> {
  static override template = "isp_core.ProfileQueue";
  static override props = {
    page: { type: [Object, { value: null }] },
    offset: Number,
    limit: Number,
    now: Object,
    timeZone: { type: [String, { value: undefined }], optional: true },
    busyIds: Array,
    onApprove: Function,
    onReject: Function,
    onConvert: Function,
    onPage: Function,
    onOpenSubscription: Function,
  };

  stateLabel = stateLabel;
  pendingReasonLabel = pendingReasonLabel;
  subscriptionUrl = subscriptionUrl;

  seen(value: string | false): SeenTime | null {
    return describeSeen(value, this.props.now, this.props.timeZone);
  }

  isBusy(row: ProfileRow): boolean {
    return this.props.busyIds.includes(row.id);
  }

  canApprove(row: ProfileRow): boolean {
    return row.state === "pending";
  }

  canReject(row: ProfileRow): boolean {
    return row.state === "pending" || row.state === "approved";
  }

  canConvert(row: ProfileRow): boolean {
    return (row.state === "pending" || row.state === "approved") && !row.subscription;
  }

  onlineLabel(row: ProfileRow): string {
    return row.online ? _t("Online") : _t("Offline");
  }

  actionLabel(action: "approve" | "reject" | "convert", row: ProfileRow): string {
    const device = row.hostname ? `${row.mac} (${row.hostname})` : row.mac;
    switch (action) {
      case "approve":
        return _t("Approve %s", device);
      case "reject":
        return _t("Reject %s", device);
      case "convert":
        return _t("Convert %s to a subscription", device);
    }
  }

  get pagerText(): string {
    const page = this.props.page;
    if (!page || page.total === 0) return "";
    return _t("%(first)s–%(last)s of %(total)s", {
      first: this.props.offset + 1,
      last: this.props.offset + page.rows.length,
      total: page.totalIsCapped ? `${page.total}+` : page.total,
    });
  }

  get hasPrevious(): boolean {
    return this.props.offset > 0;
  }

  get hasNext(): boolean {
    const page = this.props.page;
    return !!page && (page.totalIsCapped || this.props.offset + page.rows.length < page.total);
  }

  previous(): void {
    this.props.onPage(Math.max(0, this.props.offset - this.props.limit));
  }

  next(): void {
    this.props.onPage(this.props.offset + this.props.limit);
  }
}
