// The live onboarding feed: profile changes pushed by the bus, newest first, with what was
// missed while the connection was down fetched again on reconnect.
import { Component, onMounted, onWillDestroy, useState } from "@odoo/owl";
import type { DateTime } from "luxon";
import { _t } from "../services/translation.ts";
import type { IspService } from "../services/isp_service.ts";
import { useIspService } from "../services/isp_service.ts";
import { describeError } from "../services/describe_error.ts";
import type { ProfileChange } from "../services/isp_types.ts";
import { stateLabel } from "../shared/profile_labels.ts";
import { describeSeen } from "../shared/seen_time.ts";
import type { SeenTime } from "../shared/seen_time.ts";
import { FeedModel } from "./feed_model.ts";

export const FEED_CAPACITY = 30;
/** Missed changes asked for per request on reconnect; a full page means more may follow. */
export const CATCH_UP_PAGE_SIZE = 200;
/** Past this many full pages the gap is read from its end instead, like the history at start. */
export const CATCH_UP_MAX_PAGES = 10;

export interface LiveFeedProps {
  now: DateTime;
  timeZone: string | undefined;
  /** Called when the feed receives changes it had not seen yet, so the dashboard can refresh. */
  onChanges(): void;
}

export class LiveFeed extends Component<LiveFeedProps> {
  static override template = "isp_core.LiveFeed";
  static override props = {
    now: Object,
    timeZone: { type: [String, { value: undefined }], optional: true },
    onChanges: Function,
  };

  isp!: IspService;
  model = useState(new FeedModel(FEED_CAPACITY));
  history = useState({ loading: true });
  stateLabel = stateLabel;

  override setup(): void {
    this.isp = useIspService();
    const stopListening = this.isp.onProfileChange((change) => this.receive([change]));
    const stopReconnect = this.isp.onReconnect(() => void this.catchUp());
    // onWillDestroy, not onWillUnmount: a feed destroyed before it was ever mounted (staff left
    // during the first load) gets no unmount, and would keep its subscriptions.
    onWillDestroy(() => {
      stopListening();
      stopReconnect();
    });
    // The history must not hold back the dashboard's first render.
    onMounted(() => void this.loadHistory());
  }

  seen(time: string): SeenTime | null {
    return describeSeen(time, this.props.now, this.props.timeZone);
  }

  /** Host name, sector and IP, whichever are known. */
  details(change: ProfileChange): string {
    return [change.hostname, change.sector_name, change.last_ip].filter(Boolean).join(" · ");
  }

  private receive(changes: ProfileChange[]): void {
    if (this.model.apply(changes, { live: true }).length) this.props.onChanges();
  }

  private async loadHistory(): Promise<void> {
    try {
      const page = await this.isp.getRecentChanges(FEED_CAPACITY);
      this.model.apply(page.changes, { live: false });
      this.model.advanceCursor(page.cursor);
    } catch (error) {
      this.isp.notify(_t("The onboarding feed could not load: %s", describeError(error)), "warning");
    } finally {
      this.history.loading = false;
    }
  }

  /**
   * Fetches what was missed while the bus was down. The server answers oldest first, a page at a
   * time, so the newest changes come last: pages are requested until one comes back short, and
   * only the newest FEED_CAPACITY changes, all the feed can show, are kept and shown at once.
   */
  private async catchUp(): Promise<void> {
    let missed: ProfileChange[] = [];
    let cursor = this.model.cursor;
    try {
      for (let pages = 0; ; pages++) {
        if (pages === CATCH_UP_MAX_PAGES) {
          // The older changes would scroll out of the feed anyway: take the newest directly.
          ({ changes: missed, cursor } = await this.isp.getRecentChanges(FEED_CAPACITY));
          break;
        }
        const page = await this.isp.getChangesSince(cursor, CATCH_UP_PAGE_SIZE);
        missed = [...missed, ...page.changes].slice(-FEED_CAPACITY);
        cursor = page.cursor;
        if (page.changes.length < CATCH_UP_PAGE_SIZE) break;
      }
    } catch (error) {
      // What the pages before the failure brought is still shown below.
      this.isp.notify(_t("Missed onboarding events could not be fetched: %s", describeError(error)), "warning");
    }
    this.receive(missed);
    if (cursor !== null) this.model.advanceCursor(cursor);
  }
}
