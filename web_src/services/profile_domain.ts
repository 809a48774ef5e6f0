// Turns the dashboard's filters into an Odoo domain for `isp.mac.profile`.
import type { ProfileFilters } from "./isp_types.ts";

type DomainLeaf = [string, string, string | number];
export type Domain = Array<DomainLeaf | "|" | "&">;

export function profileDomain(filters: ProfileFilters): Domain {
  const domain: Domain = [];
  if (filters.state !== "all") domain.push(["state", "=", filters.state]);
  if (filters.sectorId !== null) domain.push(["sector_id", "=", filters.sectorId]);
  const term = filters.search.trim();
  if (term) {
    domain.push("|", "|", ["mac", "ilike", term], ["last_ip", "ilike", term], ["hostname", "ilike", term]);
  }
  return domain;
}
