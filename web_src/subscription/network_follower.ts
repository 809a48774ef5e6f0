// On the subscription form: when the bus says the network changed for this subscription (its job
// done or failed), the form reads the record again, so its network status follows the router
// without a reload. A form with unsaved edits is left alone: reading again would drop them.
import { Component, onWillDestroy } from "@odoo/owl";
import type { IspService } from "../services/isp_service.ts";
import { useIspService } from "../services/isp_service.ts";
import type { NetworkChange } from "../services/isp_types.ts";

export interface FollowedRecord {
  resId: number | false;
  isDirty(): Promise<boolean>;
  load(): Promise<void>;
}

export class NetworkFollower extends Component<{ record: FollowedRecord; readonly?: boolean }> {
  static override template = "isp_core.NetworkFollower";
  static override props = { record: Object, readonly: { type: Boolean, optional: true } };

  isp!: IspService;

  override setup(): void {
    this.isp = useIspService();
    const stop = this.isp.onNetworkChange((change) => void this.follow(change));
    onWillDestroy(stop);
  }

  private async follow(change: NetworkChange): Promise<void> {
    const { record } = this.props;
    if (record.resId === false || !change.subscription_ids.includes(record.resId)) return;
    if (!(await record.isDirty())) await record.load();
  }
}
