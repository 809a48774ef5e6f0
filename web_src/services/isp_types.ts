// The data isp_core's staff UI exchanges with the server, as the backend's model methods shape it.

export type ProfileState = "pending" | "approved" | "active" | "rejected";

/** Why a device waits although new devices are approved automatically (`pending_reason`). */
export type PendingReason = "no_default_plan";

/** One `isp_core.mac_profile/updated` bus payload; `get_changes_since` returns the same shape. */
export interface ProfileChange {
  id: number;
  mac: string;
  state: ProfileState;
  online: boolean;
  sector_id: number | false;
  sector_name: string | false;
  hostname: string | false;
  last_ip: string | false;
  /** UTC ISO time of the profile's last visible change (`feed_changed_at`). */
  time: string;
}

export interface ChangesPage {
  /** Oldest first. */
  changes: ProfileChange[];
  /** Pass back to the next `getChangesSince` call. */
  cursor: string;
}

export interface DashboardKpis {
  pending: number;
  online: number;
  new_today: number;
  active_subscriptions: number;
  offline_over_24h: number;
  /** Subscriptions whose router does not yet do what their state says. */
  off_network: number;
  /** Devices that wait because auto-approval has no valid default plan. */
  waiting_for_plan: number;
  /** Provisioning jobs that failed (a retry may be planned). */
  failed_jobs: number;
  /** Routers whose last contact failed, or that stopped checking in (agent mode). */
  routers_down: number;
  /** Live subscriptions whose customer has no phone, no cédula or RNC, or no address. */
  incomplete_customers: number;
}

export interface NamedRecord {
  id: number;
  name: string;
}

export interface ProfileRow {
  id: number;
  mac: string;
  hostname: string | false;
  lastIp: string | false;
  sector: NamedRecord | false;
  state: ProfileState;
  online: boolean;
  /** UTC ISO timestamps, as Odoo serialises datetimes ("YYYY-MM-DD HH:mm:ss"). */
  firstSeen: string | false;
  lastSeen: string | false;
  subscription: NamedRecord | false;
  pendingReason: PendingReason | false;
}

export interface ProfileFilters {
  sectorId: number | null;
  state: ProfileState | "all";
  search: string;
}

export interface ProfilePage {
  rows: ProfileRow[];
  /** Capped by the server's count limit; `totalIsCapped` says when there are more. */
  total: number;
  totalIsCapped: boolean;
}

export interface ConversionDefaults {
  default_plan: NamedRecord | false;
  create_captive_user: boolean;
  plans: NamedRecord[];
}

/** Keyword arguments of `isp.mac.profile.convert_to_subscription`. */
export interface ConversionRequest {
  plan_id?: number;
  partner_id?: number;
  partner_name?: string;
  create_captive_user?: boolean;
}

/** One `isp_core.network/updated` bus payload: what the network now does differently. */
export interface NetworkChange {
  /** Subscriptions a provisioning job was done or failed for. */
  subscription_ids: number[];
  /** Routers that failed, answer again, or settled a job. */
  router_ids: number[];
}

/** Whether the router already does what a subscription's state says, and if not, why. */
export interface NetworkStatus {
  state: "in_sync" | "pending" | "failed" | "no_router";
  /** Why the router does not follow yet; false once it does. */
  message: string | false;
}

export interface ConversionResult {
  subscription_id: number;
  subscription_name: string;
  /** Why the router does not serve the new subscription yet; false once it does. */
  network_message: string | false;
}

export interface EndpointCheck {
  ok: boolean;
  status: number;
  answer: string;
}

export type NotificationKind = "success" | "danger" | "warning" | "info";
