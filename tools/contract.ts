/**
 * The names that Odoo and the router tools (the preloader, the lease-script it installs, the staff
 * UI) must agree on. isp_core/lib/contract.json is their one source: Odoo reads the same file
 * (isp_core/lib/contract.py).
 */
import contract from "../isp_core/lib/contract.json" with { type: "json" };

export const WEBHOOK_PATH: string = contract.webhook_path;
export const TOKEN_HEADER: string = contract.token_header;
export const DATABASE_HEADER: string = contract.database_header;
/** The shared onboarding token of routers set up by hand (--export-rsc); benches set it to report leases. */
export const TOKEN_PARAMETER: string = contract.token_parameter;
/** Marks what isp_core created on a router; nothing without it is isp_core's to change. */
export const COMMENT_PREFIX: string = contract.comment_prefix;
export const SUSPENDED_ADDRESS_LIST: string = contract.suspended_address_list;
/**
 * The comments of what Odoo's customer-access jobs make on a router (an address-list entry, a
 * proxy redirect): the preloader shares their menus, and leaves them to Odoo.
 */
export const CUSTOMER_ACCESS_COMMENT_PREFIX: string = contract.customer_access_comment_prefix;
/** The notice page a suspended customer's plain-HTTP requests are redirected to, and the shape of its token. */
export const NOTICE_PATH: string = contract.notice_path;
export const NOTICE_TOKEN_PATTERN: string = contract.notice_token_pattern;
export const PROFILE_BUS_NOTIFICATION: string = contract.profile_bus_notification;
/** Tells the staff screens that what the network does changed: a job done or failed, a router checking in again or failing. */
export const NETWORK_BUS_NOTIFICATION: string = contract.network_bus_notification;
/** Hotspot user profiles Odoo creates, one per plan; no other profile is Odoo's to change. */
export const PLAN_PROFILE_PREFIX: string = contract.plan_profile_prefix;
/** The agent's check-in, for routers Odoo cannot reach (isp_core/lib/agent_protocol.py). */
export const CHECKIN_PATH: string = contract.checkin_path;
export const ROUTER_KEY_HEADER: string = contract.router_key_header;
export const AGENT_SCRIPT_NAME: string = contract.agent_script_name;
export const AGENT_PROTOCOL_HEADER = `${contract.agent_script_name} ${contract.agent_protocol_version}`;
export const AGENT_FIELD_SEPARATOR: string = contract.agent_field_separator;
/** The agent applies at most this many operations of one answer (Odoo sends no more). */
export const AGENT_MAX_OPERATIONS: number = contract.agent_max_operations;
/**
 * The agent checks in at most this many times a run: once, then again only to report what it
 * applied. 1,000 waiting operations still fit in one run.
 */
export const AGENT_MAX_CHECKINS: number = contract.agent_max_checkins;
/** What a value must match, on the router, before the agent uses it. */
export const AGENT_SAFE_VALUE_REGEX = `^[A-Za-z0-9 ${contract.agent_value_punctuation}]{0,${contract.agent_value_max_length}}$`;
/** The name of the CA certificate the preloader imports on a router so that its fetch trusts Odoo; no other certificate is its to change. */
export const ODOO_CA_CERTIFICATE_NAME: string = contract.odoo_ca_certificate_name;
/** What the router fetches to prove it reaches Odoo: Odoo's own health route, which needs no database or login. */
export const READINESS_PATH: string = contract.readiness_path;
