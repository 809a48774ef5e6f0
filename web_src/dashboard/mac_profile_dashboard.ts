// ISP → Operations → MAC Profiles: key figures, the filtered and paged profile queue with its
// actions, the live onboarding feed, and conversion to a subscription.
import { Component, onMounted, onWillDestroy, onWillStart, useState } from "@odoo/owl";
import { DateTime } from "luxon";
import { _t } from "../services/translation.ts";
import { ConversionDialog } from "../conversion/conversion_dialog.ts";
import { oneClickRequest } from "../conversion/conversion_request.ts";
import { LiveFeed } from "../feed/live_feed.ts";
import type { IspService } from "../services/isp_service.ts";
import { subscriptionUrl, useIspService } from "../services/isp_service.ts";
import { describeError } from "../services/describe_error.ts";
import type {
  ConversionDefaults,
  ConversionRequest,
  ConversionResult,
  DashboardKpis,
  NamedRecord,
  NetworkChange,
  ProfileFilters,
  ProfilePage,
  ProfileRow,
  ProfileState,
} from "../services/isp_types.ts";
import { NO_EXTENSION_FIGURES } from "./dashboard_extensions.ts";
import type { ExtensionFigures, OdooAction } from "./dashboard_extensions.ts";
import { KpiTiles } from "./kpi_tiles.ts";
import { PROFILE_STATES, stateLabel } from "../shared/profile_labels.ts";
import { sentenceParts, slotMarkers } from "../shared/sentence_parts.ts";
import type { SentencePart } from "../shared/sentence_parts.ts";
import { ProfileQueue } from "./profile_queue.ts";
import { coalesce } from "./refresh_coalescer.ts";

export const PAGE_SIZE = 40;
/** Relative times ("3 minutes ago") are redrawn this often. */
const CLOCK_TICK_MS = 30_000;

interface DashboardState {
  kpis: DashboardKpis | null;
  /** What other addons add: their figures, and their attention lines. */
  extensions: ExtensionFigures;
  sectors: NamedRecord[];
  filters: ProfileFilters;
  searchInput: string;
  offset: number;
  page: ProfilePage | null;
  busyIds: number[];
  conversion: { profile: ProfileRow; defaults: ConversionDefaults } | null;
  /** The last conversion's banner; `network_message` follows the router live (false: on the network). */
  converted: (ConversionResult & { mac: string }) | null;
  now: DateTime;
}

export class MacProfileDashboard extends Component {
  static override template = "isp_core.MacProfileDashboard";
  static components = { KpiTiles, ProfileQueue, LiveFeed, ConversionDialog };
  // A client action receives the action's description; the dashboard needs none of it.
  static override props = ["*"];

  isp!: IspService;
  state = useState<DashboardState>({
    kpis: null,
    extensions: NO_EXTENSION_FIGURES,
    sectors: [],
    filters: { sectorId: null, state: "pending", search: "" },
    searchInput: "",
    offset: 0,
    page: null,
    busyIds: [],
    conversion: null,
    converted: null,
    now: DateTime.now(),
  });
  refreshKpis = coalesce(() => this.loadKpis());
  refreshQueue = coalesce(() => this.loadQueue());
  timeZone: string | undefined;
  states = PROFILE_STATES;
  pageSize = PAGE_SIZE;
  stateLabel = stateLabel;
  subscriptionUrl = subscriptionUrl;

  override setup(): void {
    this.isp = useIspService();
    this.timeZone = this.isp.userTimeZone();
    // Only the queue is worth waiting for before the first render, and it goes first to the
    // server's workers: the figures, the sectors and the feed fill in right after.
    onWillStart(() => this.refreshQueue());
    onMounted(() => {
      void this.refreshKpis();
      void this.loadExtensions();
      void this.loadSectors();
    });
    const clock = setInterval(() => (this.state.now = DateTime.now()), CLOCK_TICK_MS);
    // A job done or failed, a router failing or answering again: the figures and the banner
    // follow without a reload.
    const stopNetwork = this.isp.onNetworkChange((change) => this.onNetworkChange(change));
    // onWillDestroy, not onWillUnmount: leaving during the first load destroys the dashboard
    // before it was ever mounted, and unmount hooks run only for mounted components.
    onWillDestroy(() => {
      clearInterval(clock);
      stopNetwork();
    });
  }

  /** The banner after a conversion, one sentence for translators with the link and the MAC inside. */
  get conversionSentence(): SentencePart[] {
    return sentenceParts(_t("Subscription %(subscription)s is active for %(mac)s.", slotMarkers("subscription", "mac")));
  }

  /** What needs staff, from the figures: each a sentence, and the list where to act on it. */
  get attention(): { key: keyof DashboardKpis; text: string; open: () => void }[] {
    const kpis = this.state.kpis;
    if (!kpis) return [];
    const sentences = {
      off_network: _t("Subscriptions whose router does not yet do what Odoo says: %s.", kpis.off_network),
      routers_down: _t("Routers that do not answer, or have stopped checking in: %s.", kpis.routers_down),
      failed_jobs: _t("Provisioning jobs that failed: %s.", kpis.failed_jobs),
      incomplete_customers: _t("Customers without a phone, a cédula or RNC, or an address: %s.", kpis.incomplete_customers),
      waiting_for_plan: _t(
        "Devices waiting because new devices are approved automatically but there is no valid default plan (ISP → Configuration → Settings): %s.",
        kpis.waiting_for_plan,
      ),
    } satisfies Partial<Record<keyof DashboardKpis, string>>;
    return (Object.keys(sentences) as (keyof typeof sentences)[])
      .filter((key) => kpis[key] > 0)
      .map((key) => ({ key, text: sentences[key], open: () => this.openKpi(key) }));
  }

  private async loadKpis(): Promise<void> {
    try {
      const { sectorId } = this.state.filters;
      const kpis = await this.isp.getKpis(sectorId);
      // The sector changed while the call ran: the rerun it queued brings the right figures.
      if (sectorId === this.state.filters.sectorId) this.state.kpis = kpis;
    } catch (error) {
      this.isp.notify(_t("Key figures could not load: %s", describeError(error)), "danger");
    }
  }

  private async loadExtensions(): Promise<void> {
    this.state.extensions = await this.isp.getExtensionFigures();
  }

  openExtension(action: OdooAction): void {
    this.isp.openAction(action).catch((error: unknown) => this.isp.notify(describeError(error), "danger"));
  }

  private async loadQueue(): Promise<void> {
    try {
      const { filters, offset } = this.state;
      const page = await this.isp.searchProfiles({ ...filters }, offset, PAGE_SIZE);
      // Filters changed while the call ran: the rerun they queued brings the right page.
      if (filters === this.state.filters && offset === this.state.offset) this.state.page = page;
    } catch (error) {
      this.isp.notify(_t("MAC profiles could not load: %s", describeError(error)), "danger");
    }
  }

  private async loadSectors(): Promise<void> {
    try {
      this.state.sectors = await this.isp.listSectors();
    } catch (error) {
      this.isp.notify(describeError(error), "danger");
    }
  }

  private refreshAll(): Promise<unknown> {
    this.state.now = DateTime.now();
    return Promise.all([this.refreshKpis(), this.refreshQueue()]);
  }

  private setFilters(filters: Partial<ProfileFilters>): void {
    this.state.filters = { ...this.state.filters, ...filters };
    this.state.offset = 0;
    void this.refreshQueue();
  }

  /** The figures follow the sector filter, not the state filter or the search. */
  onSectorChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.setFilters({ sectorId: value ? Number(value) : null });
    void this.refreshKpis();
  }

  onStateChange(event: Event): void {
    this.setFilters({ state: (event.target as HTMLSelectElement).value as ProfileState | "all" });
  }

  onSearch(): void {
    this.setFilters({ search: this.state.searchInput });
  }

  onPage(offset: number): void {
    this.state.offset = offset;
    void this.refreshQueue();
  }

  onFeedChanges(): void {
    void this.refreshAll();
  }

  private onNetworkChange(change: NetworkChange): void {
    void this.refreshKpis();
    const converted = this.state.converted;
    if (converted && change.subscription_ids.includes(converted.subscription_id)) void this.refreshConverted(converted.subscription_id);
  }

  private async refreshConverted(subscriptionId: number): Promise<void> {
    try {
      const status = await this.isp.getNetworkStatus(subscriptionId);
      // Another conversion may have replaced the banner while the call ran.
      if (this.state.converted?.subscription_id === subscriptionId) this.state.converted.network_message = status.message;
    } catch (error) {
      this.isp.notify(describeError(error), "warning");
    }
  }

  /** The list behind a figure, within the sector filter the figures follow. */
  openKpi(key: keyof DashboardKpis): void {
    this.isp.openKpiList(key, this.state.filters.sectorId).catch((error: unknown) => this.isp.notify(describeError(error), "danger"));
  }

  openProfileList(): void {
    this.isp.openProfileList();
  }

  openSubscription(subscriptionId: number): void {
    this.isp.openSubscription(subscriptionId);
  }

  private async runOnProfile(row: ProfileRow, work: () => Promise<void>): Promise<void> {
    if (this.state.busyIds.includes(row.id)) return;
    this.state.busyIds.push(row.id);
    try {
      await work();
    } catch (error) {
      this.isp.notify(describeError(error), "danger");
    } finally {
      this.state.busyIds = this.state.busyIds.filter((id) => id !== row.id);
    }
  }

  approve(row: ProfileRow): Promise<void> {
    return this.runOnProfile(row, async () => {
      await this.isp.approve(row.id);
      this.isp.notify(_t("%s approved.", row.mac), "success");
      await this.refreshAll();
    });
  }

  reject(row: ProfileRow): Promise<void> {
    return this.runOnProfile(row, async () => {
      await this.isp.reject(row.id);
      this.isp.notify(_t("%s rejected.", row.mac), "info");
      await this.refreshAll();
    });
  }

  convert(row: ProfileRow): Promise<void> {
    return this.runOnProfile(row, async () => {
      const defaults = await this.isp.getConversionDefaults();
      const request = oneClickRequest(defaults, row);
      if (request) await this.finishConversion(row, request);
      else this.state.conversion = { profile: row, defaults };
    });
  }

  /** The dialog's confirm: errors stay in the dialog's hands as a notification, the dialog stays open. */
  async confirmConversion(request: ConversionRequest): Promise<void> {
    const conversion = this.state.conversion;
    if (!conversion) return;
    try {
      await this.finishConversion(conversion.profile, request);
      this.state.conversion = null;
    } catch (error) {
      this.isp.notify(describeError(error), "danger");
    }
  }

  cancelConversion(): void {
    this.state.conversion = null;
  }

  private async finishConversion(row: ProfileRow, request: ConversionRequest): Promise<void> {
    const result = await this.isp.convert(row.id, request);
    // The banner says it, with the link: no notification on top.
    this.state.converted = { ...result, mac: row.mac };
    await this.refreshAll();
  }
}
