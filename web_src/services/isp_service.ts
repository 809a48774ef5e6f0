// IspService: the one port between isp_core's components and Odoo. It wraps `orm`, `bus_service`,
// `action` and `notification`, so components never touch them and tests replace this port alone.
import { useService } from "@web/core/utils/hooks";
import { DATABASE_HEADER, NETWORK_BUS_NOTIFICATION, PROFILE_BUS_NOTIFICATION, TOKEN_HEADER, WEBHOOK_PATH } from "../../tools/contract.ts";
import { loadExtensionFigures } from "../dashboard/dashboard_extensions.ts";
import type { DashboardExtension, ExtensionFigures, OdooAction } from "../dashboard/dashboard_extensions.ts";
import { COUNT_LIMIT, profileDomain, profilePageRequest } from "./profile_query.ts";
import type { Domain, ProfileRecord } from "./profile_query.ts";
import type {
  ChangesPage,
  ConversionDefaults,
  ConversionRequest,
  ConversionResult,
  DashboardKpis,
  EndpointCheck,
  NamedRecord,
  NetworkChange,
  NetworkStatus,
  NotificationKind,
  ProfileChange,
  ProfileFilters,
  ProfilePage,
  ProfileRow,
} from "./isp_types.ts";
import { describeError } from "./describe_error.ts";
import { _t } from "./translation.ts";

export const ISP_SERVICE_NAME = "isp_core.isp";
const PROFILE_MODEL = "isp.mac.profile";
const SUBSCRIPTION_MODEL = "isp.subscription";
const PROFILE_UPDATED = PROFILE_BUS_NOTIFICATION;

export interface IspService {
  /** The dashboard's counters, for one sector or for all (null). */
  getKpis(sectorId: number | null): Promise<DashboardKpis>;
  searchProfiles(filters: ProfileFilters, offset: number, limit: number): Promise<ProfilePage>;
  listSectors(): Promise<NamedRecord[]>;
  approve(profileId: number): Promise<void>;
  reject(profileId: number): Promise<void>;
  getConversionDefaults(): Promise<ConversionDefaults>;
  convert(profileId: number, request: ConversionRequest): Promise<ConversionResult>;
  searchCustomers(term: string): Promise<NamedRecord[]>;
  /** At most `limit` changes after `cursor` (from the start when null), oldest first. */
  getChangesSince(cursor: string | null, limit: number): Promise<ChangesPage>;
  /** The `count` latest changes, oldest first, with the cursor to continue from. */
  getRecentChanges(count: number): Promise<ChangesPage>;
  /** Calls `listener` for each profile update pushed by the bus; returns the unsubscribe function. */
  onProfileChange(listener: (change: ProfileChange) => void): () => void;
  /** Calls `listener` when a job was done or failed, or a router failed or answers again; returns the unsubscribe function. */
  onNetworkChange(listener: (change: NetworkChange) => void): () => void;
  /** Whether the router already does what the subscription's state says. */
  getNetworkStatus(subscriptionId: number): Promise<NetworkStatus>;
  /** Calls `listener` when the bus connection comes back after a loss; returns the unsubscribe function. */
  onReconnect(listener: () => void): () => void;
  openProfileList(): void;
  openSubscription(subscriptionId: number): void;
  /** Opens the list one of the dashboard's figures counts, for one sector or for all (null). */
  openKpiList(key: keyof DashboardKpis, sectorId: number | null): Promise<void>;
  /** The figures and attention lines that other addons add to the dashboard (dashboard_extensions.ts). */
  getExtensionFigures(): Promise<ExtensionFigures>;
  openAction(action: OdooAction): Promise<void>;
  notify(message: string, kind: NotificationKind): void;
  /** The IANA zone times are shown in: the browser's, as Odoo's own views use. */
  userTimeZone(): string | undefined;
  onboardingEndpoint(): { url: string; database: string };
  checkOnboardingEndpoint(token: string): Promise<EndpointCheck>;
  /** Rejects with a message for staff when the browser keeps the clipboard closed. */
  copyText(text: string): Promise<void>;
}

/** The members of Odoo's services that IspService relies on. */
export interface OdooServices {
  orm: {
    call<T>(model: string, method: string, args?: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
    searchRead<T>(model: string, domain: Domain, fields: string[], kwargs?: Record<string, unknown>): Promise<T[]>;
    webSearchRead<T>(model: string, domain: Domain, kwargs: Record<string, unknown>): Promise<{ length: number; records: T[] }>;
  };
  bus: {
    subscribe<T>(type: string, callback: (payload: T) => void): void;
    unsubscribe<T>(type: string, callback: (payload: T) => void): void;
    addEventListener(type: string, callback: () => void): void;
    removeEventListener(type: string, callback: () => void): void;
  };
  action: { doAction(action: string | Record<string, unknown>): Promise<unknown> };
  notification: { add(message: string, options: { type: NotificationKind }): void };
  database: string;
  timeZone: string | undefined;
  origin: string;
  fetch: typeof fetch;
  /** Browsers give it to HTTPS (and localhost) pages only. */
  clipboard: { writeText(text: string): Promise<void> } | undefined;
  /** The dashboard's extensions, as other addons registered them. */
  dashboardExtensions: () => DashboardExtension[];
}

function toNamedRecord(value: { id: number; display_name: string } | false): NamedRecord | false {
  return value && { id: value.id, name: value.display_name };
}

function toProfileRow(record: ProfileRecord): ProfileRow {
  return {
    id: record.id,
    mac: record.mac,
    hostname: record.hostname,
    lastIp: record.last_ip,
    sector: record.sector_id && { id: record.sector_id.id, name: record.sector_id.name },
    state: record.state,
    online: record.online,
    firstSeen: record.first_seen,
    lastSeen: record.last_seen,
    subscription: toNamedRecord(record.subscription_id),
    pendingReason: record.pending_reason,
  };
}

export function createIspService(odoo: OdooServices): IspService {
  const { orm, bus } = odoo;
  const endpointUrl = `${odoo.origin}${WEBHOOK_PATH}`;
  const getChangesSince = (cursor: string | null, limit: number) =>
    orm.call<ChangesPage>(PROFILE_MODEL, "get_changes_since", [], { since: cursor, limit });
  return {
    getKpis: (sectorId) =>
      orm.call<DashboardKpis>(PROFILE_MODEL, "get_dashboard_kpis", [], {
        domain: profileDomain({ sectorId, state: "all", search: "" }),
      }),
    async searchProfiles(filters, offset, limit) {
      const { domain, kwargs } = profilePageRequest(filters, offset, limit);
      const { length, records } = await orm.webSearchRead<ProfileRecord>(PROFILE_MODEL, domain, kwargs);
      return { rows: records.map(toProfileRow), total: Math.min(length, COUNT_LIMIT), totalIsCapped: length > COUNT_LIMIT };
    },
    listSectors: () => orm.searchRead<NamedRecord>("isp.sector", [], ["id", "name"], { order: "name" }),
    async approve(profileId) {
      await orm.call(PROFILE_MODEL, "action_approve", [[profileId]]);
    },
    async reject(profileId) {
      await orm.call(PROFILE_MODEL, "action_reject", [[profileId]]);
    },
    getConversionDefaults: () => orm.call<ConversionDefaults>(PROFILE_MODEL, "get_conversion_defaults"),
    convert: (profileId, request) => orm.call<ConversionResult>(PROFILE_MODEL, "convert_to_subscription", [[profileId]], { ...request }),
    async searchCustomers(term) {
      const partners = await orm.searchRead<{ id: number; display_name: string }>("res.partner", [["name", "ilike", term]], ["display_name"], {
        limit: 8,
        order: "name",
      });
      return partners.map(({ id, display_name }) => ({ id, name: display_name }));
    },
    getChangesSince,
    // Without a cursor, `get_changes_since` answers the latest `limit` changes.
    getRecentChanges: (count) => getChangesSince(null, count),
    onProfileChange(listener) {
      const callback = (payload: ProfileChange) => listener(payload);
      bus.subscribe(PROFILE_UPDATED, callback);
      return () => bus.unsubscribe(PROFILE_UPDATED, callback);
    },
    onNetworkChange(listener) {
      const callback = (payload: NetworkChange) => listener(payload);
      bus.subscribe(NETWORK_BUS_NOTIFICATION, callback);
      return () => bus.unsubscribe(NETWORK_BUS_NOTIFICATION, callback);
    },
    async getNetworkStatus(subscriptionId) {
      const [record] = await orm.searchRead<{ network_state: NetworkStatus["state"]; network_message: string | false }>(
        SUBSCRIPTION_MODEL,
        [["id", "=", subscriptionId]],
        ["network_state", "network_message"],
      );
      return record ? { state: record.network_state, message: record.network_message } : { state: "in_sync", message: false };
    },
    onReconnect(listener) {
      const callback = () => listener();
      bus.addEventListener("BUS:RECONNECT", callback);
      return () => bus.removeEventListener("BUS:RECONNECT", callback);
    },
    openProfileList() {
      void odoo.action.doAction("isp_core.isp_mac_profile_action");
    },
    openSubscription(subscriptionId) {
      void odoo.action.doAction({
        type: "ir.actions.act_window",
        res_model: SUBSCRIPTION_MODEL,
        res_id: subscriptionId,
        views: [[false, "form"]],
      });
    },
    getExtensionFigures: () =>
      loadExtensionFigures(odoo.dashboardExtensions(), { call: (model, method, args, kwargs) => orm.call(model, method, args, kwargs) }, (error) =>
        odoo.notification.add(_t("Some key figures could not load: %s", describeError(error)), { type: "warning" }),
      ),
    async openAction(action) {
      await odoo.action.doAction(action);
    },
    async openKpiList(key, sectorId) {
      const action = await orm.call<Record<string, unknown>>(PROFILE_MODEL, "get_dashboard_kpi_action", [key], {
        domain: profileDomain({ sectorId, state: "all", search: "" }),
      });
      await odoo.action.doAction(action);
    },
    notify: (message, kind) => odoo.notification.add(message, { type: kind }),
    userTimeZone: () => odoo.timeZone,
    onboardingEndpoint: () => ({ url: endpointUrl, database: odoo.database }),
    async checkOnboardingEndpoint(token) {
      const response = await odoo.fetch(endpointUrl, {
        headers: { [TOKEN_HEADER]: token, [DATABASE_HEADER]: odoo.database },
      });
      return { ok: response.ok, status: response.status, answer: (await response.text()).trim() };
    },
    async copyText(text) {
      // Absent on plain-HTTP pages, such as an Odoo reached at its LAN address.
      if (!odoo.clipboard) throw new Error(_t("Copying needs HTTPS: select the text and copy it yourself."));
      await odoo.clipboard.writeText(text);
    },
  };
}

/** Where the web client shows a subscription, for links staff may open in a new tab. */
export function subscriptionUrl(subscriptionId: number): string {
  return `/odoo/${SUBSCRIPTION_MODEL}/${subscriptionId}`;
}

export function useIspService(): IspService {
  return useService<IspService>(ISP_SERVICE_NAME);
}
