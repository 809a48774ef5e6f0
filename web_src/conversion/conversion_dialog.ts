// The small dialog shown when a conversion needs choices: plan, new or existing customer, and
// whether to create a captive-portal user.
import { Component, onMounted, onWillUnmount, useRef, useState } from "@odoo/owl";
import { _t } from "../services/translation.ts";
import type { IspService } from "../services/isp_service.ts";
import { useIspService } from "../services/isp_service.ts";
import { describeError } from "../services/describe_error.ts";
import type { ConversionDefaults, ConversionRequest, NamedRecord } from "../services/isp_types.ts";
import { defaultCustomerName, dialogRequest } from "./conversion_request.ts";
import type { ConversionChoice, ConvertibleProfile } from "./conversion_request.ts";

export interface ConversionDialogProps {
  profile: ConvertibleProfile;
  defaults: ConversionDefaults;
  onConfirm(request: ConversionRequest): Promise<void>;
  onCancel(): void;
}

export class ConversionDialog extends Component<ConversionDialogProps> {
  static override template = "isp_core.ConversionDialog";
  static override props = { profile: Object, defaults: Object, onConfirm: Function, onCancel: Function };

  isp!: IspService;
  firstField = useRef("firstField");
  choice = useState<ConversionChoice>({
    planId: null,
    customerMode: "new",
    newCustomerName: "",
    existingCustomerId: null,
    createCaptiveUser: false,
  });
  customers = useState({ term: "", found: [] as NamedRecord[], searched: false });
  submitting = useState({ value: false });

  override setup(): void {
    this.isp = useIspService();
    const { defaults, profile } = this.props;
    this.choice.planId = defaults.default_plan ? defaults.default_plan.id : null;
    this.choice.newCustomerName = defaultCustomerName(profile);
    this.choice.createCaptiveUser = defaults.create_captive_user;
    // Keyboard users land back on the button that opened the dialog.
    const opener = document.activeElement;
    onMounted(() => this.firstField.el?.focus());
    onWillUnmount(() => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    });
  }

  get title(): string {
    return _t("Convert %s to a subscription", this.props.profile.mac);
  }

  get request(): ConversionRequest | null {
    return dialogRequest(this.choice);
  }

  onPlanChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.choice.planId = value ? Number(value) : null;
  }

  onCustomerChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.choice.existingCustomerId = value ? Number(value) : null;
  }

  async searchCustomers(): Promise<void> {
    const term = this.customers.term.trim();
    if (!term) return;
    try {
      this.customers.found = await this.isp.searchCustomers(term);
      this.customers.searched = true;
      this.choice.existingCustomerId = this.customers.found[0]?.id ?? null;
    } catch (error) {
      this.isp.notify(describeError(error), "danger");
    }
  }

  onSearchKeydown(event: KeyboardEvent): void {
    if (event.key !== "Enter") return;
    // Enter in the search box searches; it must not submit the conversion.
    event.preventDefault();
    void this.searchCustomers();
  }

  onKeydown(event: KeyboardEvent): void {
    if (event.key === "Escape") this.props.onCancel();
  }

  async confirm(): Promise<void> {
    const request = this.request;
    if (!request || this.submitting.value) return;
    this.submitting.value = true;
    try {
      await this.props.onConfirm(request);
    } finally {
      this.submitting.value = false;
    }
  }
}
