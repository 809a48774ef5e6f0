// An IspService for tests: canned answers, a record of calls, and hands on the bus.
import type { ExtensionFigures, OdooAction } from "../../web_src/dashboard/dashboard_extensions.ts";
import type { IspService } from "../../web_src/services/isp_service.ts";
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
} from "../../web_src/services/isp_types.ts";

export function profileRow(overrides: Partial<ProfileRow> = {}): ProfileRow {
  return {
    id: 1,
    mac: "AA:BB:CC:00:00:01",
    hostname: "onu-casa-1",
    lastIp: "192.168.88.11",
    sector: { id: 3, name: "Los Cacaos" },
    state: "pending",
    online: true,
    firstSeen: "2026-11-24 01:00:00",
    lastSeen: "2026-11-24 01:55:00",
    subscription: false,
    pendingReason: false,
    ...overrides,
  };
}

export function profileChange(overrides: Partial<ProfileChange> = {}): ProfileChange {
  return {
    id: 1,
    mac: "AA:BB:CC:00:00:01",
    state: "pending",
    online: true,
    sector_id: 3,
    sector_name: "Los Cacaos",
    hostname: "onu-casa-1",
    last_ip: "192.168.88.11",
    time: "2026-11-24T01:55:00",
    ...overrides,
  };
}

export const KPIS: DashboardKpis = {
  pending: 7,
  online: 120,
  new_today: 3,
  active_subscriptions: 98,
  offline_over_24h: 4,
  off_network: 0,
  waiting_for_plan: 0,
  failed_jobs: 0,
  routers_down: 0,
  incomplete_customers: 0,
};

type Answer<T> = () => Promise<T>;

export class FakeIspService implements IspService {
  calls: Array<[string, ...unknown[]]> = [];
  notifications: Array<{ message: string; kind: NotificationKind }> = [];
  changeListeners = new Set<(change: ProfileChange) => void>();
  reconnectListeners = new Set<() => void>();
  networkListeners = new Set<(change: NetworkChange) => void>();

  kpis: Answer<DashboardKpis> = async () => KPIS;
  profiles: (filters: ProfileFilters, offset: number, limit: number) => Promise<ProfilePage> = async () => ({
    rows: [profileRow()],
    total: 1,
    totalIsCapped: false,
  });
  sectors: Answer<NamedRecord[]> = async () => [{ id: 3, name: "Los Cacaos" }];
  changes: (cursor: string | null, limit?: number) => Promise<ChangesPage> = async () => ({ changes: [], cursor: "2026-11-24T01:00:00" });
  /** The latest changes; by default what `changes` answers from the start. */
  recentChanges: (count: number) => Promise<ChangesPage> = () => this.changes(null);
  conversionDefaults: Answer<ConversionDefaults> = async () => ({
    default_plan: { id: 5, name: "Fiber 20M" },
    create_captive_user: false,
    plans: [{ id: 5, name: "Fiber 20M" }],
  });
  conversion: (profileId: number, request: ConversionRequest) => Promise<ConversionResult> = async () => ({
    subscription_id: 41,
    subscription_name: "SUB/0041",
    network_message: "Waiting to be applied on router MK-LOS-CACAOS.",
  });
  action: (name: "approve" | "reject", profileId: number) => Promise<void> = async () => {};
  customers: Answer<NamedRecord[]> = async () => [{ id: 9, name: "Ana Pérez" }];
  endpointCheck: Answer<EndpointCheck> = async () => ({ ok: true, status: 200, answer: '{"result": "ready"}' });
  copy: (text: string) => Promise<void> = async () => {};
  networkStatus: (subscriptionId: number) => Promise<NetworkStatus> = async () => ({ state: "in_sync", message: false });
  extensionFigures: Answer<ExtensionFigures> = async () => ({ tiles: [], attention: [] });

  private record<T>(name: string, args: unknown[], answer: () => Promise<T>): Promise<T> {
    this.calls.push([name, ...args]);
    return answer();
  }

  callsTo(name: string): unknown[][] {
    return this.calls.filter(([called]) => called === name).map(([, ...args]) => args);
  }

  getKpis(sectorId: number | null) {
    return this.record("getKpis", [sectorId], this.kpis);
  }
  searchProfiles(filters: ProfileFilters, offset: number, limit: number) {
    return this.record("searchProfiles", [filters, offset, limit], () => this.profiles(filters, offset, limit));
  }
  listSectors() {
    return this.record("listSectors", [], this.sectors);
  }
  approve(profileId: number) {
    return this.record("approve", [profileId], () => this.action("approve", profileId));
  }
  reject(profileId: number) {
    return this.record("reject", [profileId], () => this.action("reject", profileId));
  }
  getConversionDefaults() {
    return this.record("getConversionDefaults", [], this.conversionDefaults);
  }
  convert(profileId: number, request: ConversionRequest) {
    return this.record("convert", [profileId, request], () => this.conversion(profileId, request));
  }
  searchCustomers(term: string) {
    return this.record("searchCustomers", [term], this.customers);
  }
  getChangesSince(cursor: string | null, limit: number) {
    return this.record("getChangesSince", [cursor, limit], () => this.changes(cursor, limit));
  }
  getRecentChanges(count: number) {
    return this.record("getRecentChanges", [count], () => this.recentChanges(count));
  }
  onProfileChange(listener: (change: ProfileChange) => void) {
    this.changeListeners.add(listener);
    return () => void this.changeListeners.delete(listener);
  }
  onNetworkChange(listener: (change: NetworkChange) => void) {
    this.networkListeners.add(listener);
    return () => void this.networkListeners.delete(listener);
  }
  getNetworkStatus(subscriptionId: number) {
    return this.record("getNetworkStatus", [subscriptionId], () => this.networkStatus(subscriptionId));
  }
  onReconnect(listener: () => void) {
    this.reconnectListeners.add(listener);
    return () => void this.reconnectListeners.delete(listener);
  }
  openProfileList() {
    this.calls.push(["openProfileList"]);
  }
  openSubscription(subscriptionId: number) {
    this.calls.push(["openSubscription", subscriptionId]);
  }
  getExtensionFigures() {
    return this.record("getExtensionFigures", [], this.extensionFigures);
  }
  async openAction(action: OdooAction) {
    this.calls.push(["openAction", action]);
  }
  async openKpiList(key: keyof DashboardKpis, sectorId: number | null) {
    this.calls.push(["openKpiList", key, sectorId]);
  }
  notify(message: string, kind: NotificationKind) {
    this.notifications.push({ message, kind });
  }
  userTimeZone() {
    return "America/Santo_Domingo";
  }
  onboardingEndpoint() {
    return { url: "http://127.0.0.1:8069/isp/mac_onboarding", database: "isp" };
  }
  checkOnboardingEndpoint(token: string) {
    return this.record("checkOnboardingEndpoint", [token], this.endpointCheck);
  }
  copyText(text: string) {
    return this.record("copyText", [text], () => this.copy(text));
  }

  /** What the bus does when the server sends `isp_core.mac_profile/updated`. */
  push(change: ProfileChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  /** What the bus does when the server sends `isp_core.network/updated`. */
  pushNetwork(change: NetworkChange): void {
    for (const listener of this.networkListeners) listener(change);
  }

  reconnect(): void {
    for (const listener of this.reconnectListeners) listener();
  }
}
