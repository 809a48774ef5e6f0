// Settings → ISP: what staff copy into the router (lease-script URL and headers) and a button that
// checks the endpoint accepts the token, without recording anything.
import { Component, useState } from "@odoo/owl";
import { _t } from "../services/translation.ts";
import type { IspService } from "../services/isp_service.ts";
import { useIspService } from "../services/isp_service.ts";
import { describeError } from "../services/describe_error.ts";
import type { EndpointCheck } from "../services/isp_types.ts";
import { maskedHeaderField, routerHeaderField } from "./router_headers.ts";

export interface OnboardingEndpointProps {
  record: { data: Record<string, unknown> };
  tokenField: string;
  readonly?: boolean;
}

export class OnboardingEndpoint extends Component<OnboardingEndpointProps> {
  static override template = "isp_core.OnboardingEndpoint";
  static override props = { record: Object, tokenField: String, readonly: { type: Boolean, optional: true } };

  isp!: IspService;
  endpoint!: { url: string; database: string };
  check = useState({ running: false, result: null as EndpointCheck | null, error: "" });

  override setup(): void {
    this.isp = useIspService();
    this.endpoint = this.isp.onboardingEndpoint();
  }

  get token(): string {
    const value = this.props.record.data[this.props.tokenField];
    return typeof value === "string" ? value : "";
  }

  get shownHeaders(): string {
    return maskedHeaderField(this.token, this.endpoint.database);
  }

  get resultText(): string {
    const { result, error } = this.check;
    if (error) return _t("The endpoint could not be reached: %s", error);
    if (!result) return "";
    if (result.ok) return _t("The endpoint accepts this token (HTTP %(status)s): %(answer)s", { status: result.status, answer: result.answer });
    return _t("The endpoint refused this token (HTTP %(status)s): %(answer)s", { status: result.status, answer: result.answer });
  }

  async copy(text: string, what: string): Promise<void> {
    try {
      await this.isp.copyText(text);
      this.isp.notify(_t("%s copied.", what), "success");
    } catch (error) {
      this.isp.notify(describeError(error), "danger");
    }
  }

  copyUrl(): Promise<void> {
    return this.copy(this.endpoint.url, _t("Lease-script URL"));
  }

  copyHeaders(): Promise<void> {
    return this.copy(routerHeaderField(this.token, this.endpoint.database), _t("Router headers"));
  }

  async test(): Promise<void> {
    this.check.running = true;
    this.check.error = "";
    this.check.result = null;
    try {
      this.check.result = await this.isp.checkOnboardingEndpoint(this.token);
    } catch (error) {
      this.check.error = describeError(error);
    } finally {
      this.check.running = false;
    }
  }
}
