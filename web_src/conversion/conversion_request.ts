// What a conversion sends to `convert_to_subscription`, decided without the DOM.
import type { ConversionDefaults, ConversionRequest } from "../services/isp_types.ts";

export interface ConvertibleProfile {
  mac: string;
  hostname: string | false;
}

/** The name a new customer gets when staff do not type one. */
export function defaultCustomerName(profile: ConvertibleProfile): string {
  return (profile.hostname || "").trim() || profile.mac;
}

/** The request for a one-click conversion, or null when staff must choose a plan first. */
export function oneClickRequest(defaults: ConversionDefaults, profile: ConvertibleProfile): ConversionRequest | null {
  if (!defaults.default_plan) return null;
  return { plan_id: defaults.default_plan.id, partner_name: defaultCustomerName(profile) };
}

export interface ConversionChoice {
  planId: number | null;
  customerMode: "new" | "existing";
  newCustomerName: string;
  existingCustomerId: number | null;
  createCaptiveUser: boolean;
}

/** The request for the dialog's choice, or null while a required choice is missing. */
export function dialogRequest(choice: ConversionChoice): ConversionRequest | null {
  if (choice.planId === null) return null;
  const request: ConversionRequest = { plan_id: choice.planId, create_captive_user: choice.createCaptiveUser };
  if (choice.customerMode === "existing") {
    if (choice.existingCustomerId === null) return null;
    request.partner_id = choice.existingCustomerId;
  } else {
    const name = choice.newCustomerName.trim();
    if (!name) return null;
    request.partner_name = name;
  }
  return request;
}
