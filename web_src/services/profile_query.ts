// The one server request behind a page of the dashboard's queue: the Odoo domain of the filters
// and the `web_search_read` arguments. The dashboard benchmark replays the same request.
import type { PendingReason, ProfileFilters, ProfileState } from "./isp_types.ts";

type DomainLeaf = [string, string, string | number];
export type Domain = Array<DomainLeaf | "|" | "&">;

/** Counting past this many matches costs more than it tells staff. */
export const COUNT_LIMIT = 10000;

/** A record as `web_search_read` returns it for PROFILE_SPECIFICATION. */
export interface ProfileRecord {
  id: number;
  mac: string;
  hostname: string | false;
  last_ip: string | false;
  sector_id: { id: number; name: string } | false;
  state: ProfileState;
  online: boolean;
  first_seen: string | false;
  last_seen: string | false;
  subscription_id: { id: number; display_name: string } | false;
  pending_reason: PendingReason | false;
}

const PROFILE_SPECIFICATION = {
  mac: {},
  hostname: {},
  last_ip: {},
  // The name alone: the display name adds the sector's code, too long for a table cell.
  sector_id: { fields: { name: {} } },
  state: {},
  online: {},
  first_seen: {},
  last_seen: {},
  subscription_id: { fields: { display_name: {} } },
  pending_reason: {},
};

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

export function profilePageRequest(filters: ProfileFilters, offset: number, limit: number) {
  return {
    domain: profileDomain(filters),
    kwargs: {
      specification: PROFILE_SPECIFICATION,
      offset,
      limit,
      order: "last_seen desc, id desc",
      // One more than the limit tells "10,000" from "more than 10,000".
      count_limit: COUNT_LIMIT + 1,
    },
  };
}
