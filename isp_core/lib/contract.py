"""The names that Odoo and the router tools (the preloader, the lease-script it installs, the staff
UI) must agree on. contract.json, beside this file, is their one source: the TypeScript side
reads the same file (tools/contract.ts).
"""

import json
from pathlib import Path

_CONTRACT = json.loads(Path(__file__).with_name("contract.json").read_text(encoding="utf-8"))

WEBHOOK_PATH = _CONTRACT["webhook_path"]
TOKEN_HEADER = _CONTRACT["token_header"]
DATABASE_HEADER = _CONTRACT["database_header"]
TOKEN_PARAMETER = _CONTRACT["token_parameter"]
TOKEN_MIN_LENGTH = _CONTRACT["token_min_length"]
TOKEN_ALPHABET = _CONTRACT["token_alphabet"]
# Marks what isp_core created on a router; nothing without it is Odoo's to change.
COMMENT_PREFIX = _CONTRACT["comment_prefix"]
# The address list whose addresses the router cuts off; a router may be set up with another.
SUSPENDED_ADDRESS_LIST = _CONTRACT["suspended_address_list"]
# The comments of what a customer-access job makes (an address-list entry, a proxy redirect), which
# the preloader, sharing those menus, leaves to Odoo.
CUSTOMER_ACCESS_COMMENT_PREFIX = _CONTRACT["customer_access_comment_prefix"]
PROFILE_BUS_NOTIFICATION = _CONTRACT["profile_bus_notification"]
NETWORK_BUS_NOTIFICATION = _CONTRACT["network_bus_notification"]
# Hotspot user profiles that Odoo creates and may change, one per plan (see routeros_operations).
PLAN_PROFILE_PREFIX = _CONTRACT["plan_profile_prefix"]
# The check-in of the agent, the script that routers Odoo cannot reach run (see agent_protocol).
CHECKIN_PATH = _CONTRACT["checkin_path"]
ROUTER_KEY_HEADER = _CONTRACT["router_key_header"]
AGENT_SCRIPT_NAME = _CONTRACT["agent_script_name"]
AGENT_VALUE_PUNCTUATION = _CONTRACT["agent_value_punctuation"]
AGENT_VALUE_MAX_LENGTH = _CONTRACT["agent_value_max_length"]
AGENT_FIELD_SEPARATOR = _CONTRACT["agent_field_separator"]
AGENT_PROTOCOL_VERSION = _CONTRACT["agent_protocol_version"]
# The agent applies at most this many operations from one answer, and checks in at most this many
# times a run (written into its script by the preloader); Odoo sends no more than that.
AGENT_MAX_OPERATIONS = _CONTRACT["agent_max_operations"]
AGENT_MAX_CHECKINS = _CONTRACT["agent_max_checkins"]
# The public page a suspended customer's plain-HTTP requests are redirected to (see notice_token):
# the notice path, then one token of this shape. The router's redirect carries nothing else.
NOTICE_PATH = _CONTRACT["notice_path"]
NOTICE_TOKEN_PATTERN = _CONTRACT["notice_token_pattern"]
