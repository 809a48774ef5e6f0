// The live onboarding feed: profile changes pushed by the bus, newest first, with what was
// missed while the connection was down fetched again on reconnect.
import { Component, onMounted, onWillUnmount, useState } from "@odoo/owl";
import type { DateTime } from "luxon";
import { _t } from "../services/translation.ts";
import type { IspService } from "../services/isp_service.ts";
import { useIspService } from "../services/isp_service.ts";
import { describeError } from "../services/describe_error.ts";
import type { ProfileChange } from "../services/isp_types.ts";
import { stateLabel } from "../dashboard/profile_labels.ts";
import { describeSeen } from "../dashboard/seen_time.ts";
import type { SeenTime } from "../dashboard/seen_time.ts";
import { FeedModel } from "./feed_model.ts";

const FEED_CAPACITY = 30;

export interface LiveFeedProps {
  now: DateTime;
  timeZone: string | undefined;
  /** Called with the changes the feed had not seen yet, so the dashboard can refresh. */
  onChanges(changes: ProfileChange[]): void;
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
    onWillUnmount(() => {
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

  newLabel(): string {
    return _t("New");
  }

  private receive(changes: ProfileChange[]): void {
    const accepted = this.model.apply(changes, { live: true });
    if (accepted.length) this.props.onChanges(accepted);
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

  private async catchUp(): Promise<void> {
    try {
      const page = await this.isp.getChangesSince(this.model.cursor);
      this.receive(page.changes);
      this.model.advanceCursor(page.cursor);
    } catch (error) {
      this.isp.notify(_t("Missed onboarding events could not be fetched: %s", describeError(error)), "warning");
    }
  }
}
