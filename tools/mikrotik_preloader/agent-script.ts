/**
 * The agent: the only copy of it, generated here and installed as the `/system/script` named
 * AGENT_SCRIPT_NAME on routers in agent mode, which Odoo cannot reach (behind CGNAT). A scheduler
 * runs it every `agent.interval`, and the lease-script right after each lease.
 *
 * Each run checks in at Odoo's CHECKIN_PATH (isp_core/lib/agent_protocol.py holds the protocol):
 * it POSTs the results of the operations it applied, and on a sync its bound leases and the items
 * isp_core made; Odoo answers with lines of operations. It checks in again at once only to report
 * what it applied, at most AGENT_MAX_CHECKINS times a run.
 *
 * The agent trusts its installation, not the answer: the suspended list, the LAN networks, the
 * prefixes of what isp_core makes and the limits are written into the script here, from the
 * config and contract.json, and nothing in an answer changes them. An operation is data, never
 * script: each kind has its own fixed code below, and every value must match the safe alphabet and
 * the shape of its purpose (a customer address is one host of the LAN networks, a hotspot user's
 * profile an `isp_core-` one, a redirect's URL a notice page of the Odoo it checks in with) before
 * it is used. So even a spoofed Odoo can do no more than Odoo
 * itself could. A refused operation is reported by the field it names, never by its value.
 * Results the agent could not report wait in a global variable for the next check-in.
 *
 * Its commands and arguments are checked against the command trees of RouterOS 7.12.2, 7.19.6 and
 * 7.24 (tests/mikrotik_preloader/command-trees.test.ts), the oldest of which is the minimum it
 * claims; 6.x is not verified. It uses no `:deserialize`, no functions, no `:onerror` (which
 * 7.12.2 lacks), no `:toip` or `in` (an address is checked as text, see lanHostCheck). Hence a
 * failed operation is reported with the agent's own words (which operation, on what), since
 * `on-error` gives a script no error text. Its fetch arguments follow the router's release
 * (router-fetch.ts).
 *
 * What a router can remove between a `find` and a `get` (a lease that expires, an entry staff
 * delete) fails that one item, never the run: every loop body is guarded with `:do {} on-error={}`,
 * and a property the router leaves unset (a lease without host name) is read through `:tostr`.
 */
import {
  AGENT_FIELD_SEPARATOR,
  AGENT_MAX_CHECKINS,
  AGENT_MAX_OPERATIONS,
  AGENT_SCRIPT_NAME,
  AGENT_PROTOCOL_HEADER,
  AGENT_SAFE_VALUE_REGEX,
  CHECKIN_PATH,
  COMMENT_PREFIX,
  CUSTOMER_ACCESS_COMMENT_PREFIX,
  DATABASE_HEADER,
  NOTICE_PATH,
  NOTICE_TOKEN_PATTERN,
  PLAN_PROFILE_PREFIX,
  ROUTER_KEY_HEADER,
} from "../contract.ts";
import { scriptString } from "../routeros/index.ts";
import { maskOf, parseCidr, type Ipv4Network } from "../routeros/ipv4.ts";
import { fetchArguments, type FetchFlavour } from "./router-fetch.ts";

export interface AgentScriptOptions {
  /** Odoo's base URL as the router reaches it. */
  odooUrl: string;
  database: string;
  /** The router's own key, made by Odoo (`isp.router.rotate_key`). */
  key: string;
  /** The address list of suspended customers, which the preloader's drop rule reads: the only list the agent touches. */
  suspendedAddressList: string;
  /** The router's LAN networks (`10.10.0.0/24`): a customer address must be one host of one of them. */
  lanNetworks: string[];
  fetch: FetchFlavour;
}

/** Characters of each sync list within a check-in: together under RouterOS's 64 KiB of http-data. */
const SYNC_BUDGET = { leases: 40_000, suspended: 8_000, queues: 8_000 };
/** The fields of an answer line: its word, then an operation's id, kind and up to six values. */
const FIELDS = ["word", "id", "kind", "v1", "v2", "v3", "v4", "v5", "v6"];

function checkinUrl(odooUrl: string): string {
  return `${odooUrl.replace(/\/+$/, "")}${CHECKIN_PATH}`;
}

/** What every notice page's URL starts with: Odoo's URL as this router reaches it, and the notice path. */
function noticeUrlPrefix(odooUrl: string): string {
  return `${odooUrl.replace(/\/+$/, "")}${NOTICE_PATH}/`;
}

/**
 * A JSON array of `[...]` rows built from the items of a menu, collected in `$name`, within
 * `budget` characters: past it, rows are left out and `$complete` turns false, so that Odoo takes
 * no device for gone. RouterOS sends at most 64 KiB of http-data, and a check-in that Odoo refuses
 * as too large would never get through. Comparisons are parenthesized in every condition: the
 * scripts never lean on RouterOS's operator precedence.
 */
function jsonRows(name: string, menu: string, find: string, condition: string, values: string[], budget: number): string[] {
  const cells = values.map((value) => `"\\"" . ${value} . "\\""`).join(' . "," . ');
  return [
    `    :local ${name} ""`,
    `    :foreach item in=[${menu} find${find}] do={`,
    "      :do {",
    ...condition.split("\n").map((line) => `        ${line}`),
    `        :if ($include && ([:len $${name}] >= ${budget})) do={ :set complete false }`,
    `        :if ($include && ([:len $${name}] < ${budget})) do={`,
    `          :if ([:len $${name}] > 0) do={ :set ${name} ($${name} . ",") }`,
    `          :set ${name} ($${name} . "[" . ${cells} . "]")`,
    "        }",
    "      } on-error={}",
    "    }",
  ];
}

/** An IPv4 address as RouterOS writes it (no leading zeros), alone or as a /32. */
const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const HOST_ADDRESS_REGEX = `^(${OCTET}\\.){3}${OCTET}(/32)?$`;
const MAC_ADDRESS_REGEX = "^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$";

/**
 * An address as a number the script can compare without `*` or `:toip`: "1" then each octet
 * on three digits (10.1.2.3 is 1010001002003). Ordered as the addresses are.
 */
function addressKey(address: number): number {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return Number(`1${octets.map((octet) => String(octet).padStart(3, "0")).join("")}`);
}

/** The keys of a network's first and last host: without its network and broadcast addresses, but for a /31 or /32. */
function hostKeys(network: Ipv4Network): [number, number] {
  const last = network.base + (~maskOf(network.prefix) >>> 0);
  return network.prefix >= 31 ? [addressKey(network.base), addressKey(last)] : [addressKey(network.base + 1), addressKey(last - 1)];
}

/**
 * Sets `$lanHost` to whether `$address` is one host address of the LAN networks: never a network,
 * a range, a list, 0.0.0.0 or an interface name. The text must be a plain dotted address (or a
 * /32), and its key must fall between a network's first and last host.
 */
function lanHostCheck(networks: Ipv4Network[]): string[] {
  const within = networks.map((network) => {
    const [first, last] = hostKeys(network);
    return `(($key >= ${first}) && ($key <= ${last}))`;
  });
  return [
    ":local lanHost false",
    `:if ($address ~ ${scriptString(HOST_ADDRESS_REGEX)}) do={`,
    '  :local rest ([:pick $address 0 [:find ($address . "/") "/"]] . ".")',
    '  :local key "1"',
    "  :for octet from=1 to=4 do={",
    '    :local cut [:find $rest "."]',
    "    :local part [:pick $rest 0 $cut]",
    "    :set rest [:pick $rest ($cut + 1) [:len $rest]]",
    '    :set key ($key . [:pick "00" 0 (3 - [:len $part])] . $part)',
    "  }",
    "  :set key [:tonum $key]",
    `  :set lanHost (${within.join(" || ")})`,
    "}",
  ];
}

const OURS = scriptString(COMMENT_PREFIX);
/** Whether a text (a script expression) starts with the prefix that marks what isp_core made. */
const isOurs = (text: string): string => `([:pick ${text} 0 ${COMMENT_PREFIX.length}] = ${OURS})`;
const isPlanProfile = (text: string): string => `([:pick ${text} 0 ${PLAN_PROFILE_PREFIX.length}] = ${scriptString(PLAN_PROFILE_PREFIX)})`;

/** A check of one value before an operation is applied: the condition, and the refusal naming the field (never the value). */
type Check = [condition: string, refusal: string];

const MARKED = (field: string, value: string): Check => [isOurs(value), `${field}: not marked as isp_core's (${COMMENT_PREFIX})`];
/**
 * A proxy rule Odoo may touch is a customer's redirect, never the preloader's own rules of the same
 * menu (its last rule, which denies everything: without it the proxy would serve anyone).
 */
const CUSTOMERS = (field: string, value: string): Check => [
  `([:pick ${value} 0 ${CUSTOMER_ACCESS_COMMENT_PREFIX.length}] = ${scriptString(CUSTOMER_ACCESS_COMMENT_PREFIX)})`,
  `${field}: not a customer's (${CUSTOMER_ACCESS_COMMENT_PREFIX})`,
];
const LAN_HOST = (field: string): Check => ["$lanHost", `${field}: not one host address of the router's LAN networks`];

/**
 * Applies one operation kind: `$v1`… are its values, in agent_protocol.OPERATIONS order, and
 * `$lanHost` says whether its address (see lanHostCheck) is one host of the LAN networks. Each
 * touches only what isp_core made (its comment or name prefix, the suspended list installed with
 * the drop rule), so that even a spoofed Odoo can change nothing else on the router.
 */
function applyCode(suspendedList: string): Record<string, string[]> {
  const ourList: Check = [`($v1 = ${scriptString(suspendedList)})`, "list: not the suspended list installed on this router"];
  return {
    "user-upsert": checked(
      [
        MARKED("comment", "$v6"),
        [isPlanProfile("$v4"), `profile: not a profile of isp_core (${PLAN_PROFILE_PREFIX})`],
        [`(($v3 = "") || ($v3 ~ ${scriptString(MAC_ADDRESS_REGEX)}))`, "mac-address: not one MAC address"],
        ['(($v5 = "yes") || ($v5 = "no"))', "disabled: neither yes nor no"],
      ],
      [
        ":if ([:len [/ip hotspot user profile find name=$v4]] = 0) do={",
        '  :set failure ("no hotspot user profile " . $v4)',
        "} else={",
        ...indent(upsert("/ip hotspot user", "name=$v1", "password=$v2 mac-address=$v3 profile=$v4 disabled=$v5 comment=$v6", true), 1),
        "}",
      ],
    ),
    "user-remove": removal("/ip hotspot user", "name=$v1"),
    // RouterOS gives a user profile no comment: its name marks it as isp_core's.
    "profile-rate": checked(
      [[isPlanProfile("$v1"), `name: not a profile of isp_core (${PLAN_PROFILE_PREFIX})`]],
      upsert("/ip hotspot user profile", "name=$v1", "rate-limit=$v2", false),
    ),
    "list-upsert": checked(
      [ourList, MARKED("comment", "$v2"), LAN_HOST("address")],
      upsert("/ip firewall address-list", "list=$v1 comment=$v2", "address=$v3", true),
    ),
    "list-remove": checked([ourList, MARKED("comment", "$v2")], removal("/ip firewall address-list", "list=$v1 comment=$v2")),
    "queue-upsert": checked(
      [MARKED("name", "$v1"), MARKED("comment", "$v4"), LAN_HOST("target")],
      upsert("/queue simple", "name=$v1", "target=$v2 max-limit=$v3 comment=$v4", true),
    ),
    "queue-remove": checked([MARKED("name", "$v1")], removal("/queue simple", "name=$v1")),
    // A suspended address's plain-HTTP requests, sent to the proxy by the preloader's dst-nat, are
    // redirected to that customer's notice page: only Odoo's own page, and above the proxy's last
    // rule, which denies everything else.
    "redirect-upsert": checked(
      [
        CUSTOMERS("comment", "$v1"),
        LAN_HOST("src-address"),
        [
          `(([:pick $v3 0 [:len $notice]] = $notice) && ([:pick $v3 [:len $notice] [:len $v3]] ~ ${scriptString(`^${NOTICE_TOKEN_PATTERN}$`)}))`,
          "action-data: not a notice page of the Odoo this router was set up with",
        ],
      ],
      [
        ":local found [/ip proxy access find comment=$v1]",
        ":if ([:len $found] = 0) do={",
        "  :local rules [/ip proxy access find]",
        "  :if ([:len $rules] = 0) do={",
        "    /ip proxy access add comment=$v1 src-address=$v2 action=redirect action-data=$v3",
        "  } else={",
        "    /ip proxy access add comment=$v1 src-address=$v2 action=redirect action-data=$v3 place-before=[:pick $rules 0]",
        "  }",
        '  :set outcome "created"',
        "} else={",
        "  /ip proxy access set $found src-address=$v2 action=redirect action-data=$v3",
        '  :set outcome "applied"',
        "}",
      ],
    ),
    "redirect-remove": checked([CUSTOMERS("comment", "$v1")], removal("/ip proxy access", "comment=$v1")),
  };
}

/** The operation kinds whose value at this position is a customer's address. */
const ADDRESS_OF: Record<string, string> = { "list-upsert": "$v3", "queue-upsert": "$v2", "redirect-upsert": "$v2" };

/** `lines` when every check holds, else the first refusal. */
function checked(checks: Check[], lines: string[]): string[] {
  return checks.reduceRight((inner, [condition, refusal]) => guarded(condition, scriptString(refusal), inner), lines);
}

/** `lines` when `condition` holds, else the failure `reason` (a script expression). */
function guarded(condition: string, reason: string, lines: string[]): string[] {
  return [`:if (!${condition}) do={`, `  :set failure ${reason}`, "} else={", ...indent(lines, 1), "}"];
}

/** Refuses an item found under the key that isp_core did not make (its comment says so). */
function notOurs(menu: string): string[] {
  return [
    ":foreach item in=$found do={",
    `  :if (!${isOurs(`[:tostr [${menu} get $item comment]]`)}) do={ :set failure ("not isp_core's: " . $v1) }`,
    "}",
  ];
}

function upsert(menu: string, key: string, values: string, commented: boolean): string[] {
  return [
    `:local found [${menu} find ${key}]`,
    ...(commented ? notOurs(menu) : []),
    ':if ($failure = "") do={',
    "  :if ([:len $found] = 0) do={",
    `    ${menu} add ${key} ${values}`,
    '    :set outcome "created"',
    "  } else={",
    `    ${menu} set $found ${values}`,
    '    :set outcome "applied"',
    "  }",
    "}",
  ];
}

function removal(menu: string, key: string): string[] {
  return [
    `:local found [${menu} find ${key}]`,
    ...notOurs(menu),
    ':if ($failure = "") do={',
    "  :if ([:len $found] = 0) do={",
    '    :set outcome "absent"',
    "  } else={",
    `    ${menu} remove $found`,
    '    :set outcome "removed"',
    "  }",
    "}",
  ];
}

function indent(lines: string[], depth: number): string[] {
  return lines.map((line) => `${"  ".repeat(depth)}${line}`);
}

/**
 * One operation line of an answer, `$id`, `$kind` and its values read: applied when every value
 * is safe and has the shape of its purpose, and its result (or its refusal) added to `$results`.
 */
function operation(suspendedList: string, networks: Ipv4Network[]): string[] {
  const values = FIELDS.slice(2).map((field) => `$${field}`);
  return [
    ':local outcome ""',
    ':local failure ""',
    `:if (!(${values.map((value) => `(${value} ~ $safe)`).join(" && ")})) do={`,
    "  # Only an operation kind of plain words is named: an unsafe value never reaches the JSON the agent sends.",
    '  :local named ""',
    '  :if ($kind ~ "^[a-z-]{1,32}\\$") do={ :set named (" in " . $kind) }',
    '  :set failure ("a value outside the safe alphabet" . $named . ": not applied")',
    "} else={",
    '  :local address ""',
    ...Object.entries(ADDRESS_OF).map(([kind, value]) => `  :if ($kind = ${scriptString(kind)}) do={ :set address ${value} }`),
    ...indent(lanHostCheck(networks), 1),
    "  :do {",
    ...Object.entries(applyCode(suspendedList)).flatMap(([kind, lines]) => [
      `    :if ($kind = ${scriptString(kind)}) do={`,
      ...indent(lines, 3),
      "    }",
    ]),
    '    :if (($outcome = "") && ($failure = "")) do={ :set failure ("unknown operation " . $kind) }',
    "  } on-error={",
    '    :set failure ("RouterOS refused " . $kind . " " . $v1)',
    "  }",
    "}",
    ':if ([:len $results] > 0) do={ :set results ($results . ",") }',
    ':if ($failure = "") do={',
    '  :set results ($results . "{\\"id\\":" . $id . ",\\"outcome\\":\\"" . $outcome . "\\"}")',
    "} else={",
    '  :set results ($results . "{\\"id\\":" . $id . ",\\"error\\":\\"" . $failure . "\\"}")',
    "}",
  ];
}

export function buildAgentScript(options: AgentScriptOptions): string {
  const networks = options.lanNetworks.map((text) => {
    const network = parseCidr(text);
    if (network === undefined || !text.includes("/")) throw new Error(`LAN network ${JSON.stringify(text)} is not an IPv4 network`);
    return network;
  });
  if (networks.length === 0) throw new Error("the agent needs the router's LAN networks");
  const list = scriptString(options.suspendedAddressList);
  const headers = ["Content-Type: application/json", `${ROUTER_KEY_HEADER}: ${options.key}`, `${DATABASE_HEADER}: ${options.database}`].join(",");
  return [
    "# isp_core agent: checks in with Odoo and applies what Odoo answers. Generated by isp-preloader; re-run it instead of editing.",
    "# An operation is data, never script: each kind has its own code below, and every value must match $safe and its shape first.",
    "# The suspended list, the LAN networks and the limits are written here by isp-preloader: no answer changes them.",
    ":global ispAgentResults",
    ":global ispAgentSync",
    ':if ([:typeof $ispAgentResults] != "str") do={ :set ispAgentResults "" }',
    ':if ([:typeof $ispAgentSync] != "str") do={ :set ispAgentSync "yes" }',
    `:local safe ${scriptString(AGENT_SAFE_VALUE_REGEX)}`,
    `:local url ${scriptString(checkinUrl(options.odooUrl))}`,
    `:local notice ${scriptString(noticeUrlPrefix(options.odooUrl))}`,
    `:local headers ${scriptString(headers)}`,
    ":local rounds 0",
    ":local again true",
    // The scheduler and the lease-script both start the agent: a second run would apply an answer
    // older than the first one's, so it leaves the check-in to the run already going.
    `:if ([:len [/system script job find script=${AGENT_SCRIPT_NAME}]] > 1) do={ :set again false }`,
    `:while ($again && ($rounds < ${AGENT_MAX_CHECKINS})) do={`,
    "  :set again false",
    "  :set rounds ($rounds + 1)",
    "  :local identity [/system identity get name]",
    '  :if (!($identity ~ $safe)) do={ :set identity "" }',
    "  # Odoo shows how far the router's clock is off: it checks Odoo's certificate against it.",
    '  :local clock ""',
    "  :do {",
    '    :set clock ([/system clock get date] . " " . [/system clock get time] . " " . [:tostr [/system clock get gmt-offset]])',
    "  } on-error={}",
    '  :if (!($clock ~ $safe)) do={ :set clock "" }',
    `  :local body ("{\\"agent\\":\\"${AGENT_PROTOCOL_HEADER}\\",\\"identity\\":\\"" . $identity . "\\",\\"version\\":\\"" . [/system resource get version] . ` +
      '"\\",\\"uptime\\":\\"" . [:tostr [/system resource get uptime]] . "\\",\\"clock\\":\\"" . $clock . "\\",\\"results\\":[" . $ispAgentResults . "]")',
    '  :local syncing ($ispAgentSync = "yes")',
    "  :if ($syncing) do={",
    "    :local complete true",
    "    # Bound leases; a host name outside the safe alphabet is sent empty (the lease-script sends it whole).",
    ...jsonRows(
      "leases",
      "/ip dhcp-server lease",
      "",
      [
        ':local include ([/ip dhcp-server lease get $item status] = "bound")',
        ":local host [:tostr [/ip dhcp-server lease get $item host-name]]",
        ':if (!($host ~ $safe)) do={ :set host "" }',
        ":set host [:pick $host 0 63]",
        ":local server [:tostr [/ip dhcp-server lease get $item server]]",
        ':if (!($server ~ $safe)) do={ :set server "" }',
      ].join("\n"),
      ["[/ip dhcp-server lease get $item active-mac-address]", "[/ip dhcp-server lease get $item active-address]", "$server", "$host"],
      SYNC_BUDGET.leases,
    ),
    ...jsonRows(
      "suspended",
      "/ip firewall address-list",
      ` list=${list}`,
      // isp_core's own entries only: the operator's entries of the list are not Odoo's to know.
      [":local comment [:tostr [/ip firewall address-list get $item comment]]", `:local include (${isOurs("$comment")} && ($comment ~ $safe))`].join(
        "\n",
      ),
      ["$comment", "[/ip firewall address-list get $item address]"],
      SYNC_BUDGET.suspended,
    ),
    ...jsonRows(
      "queues",
      "/queue simple",
      "",
      [":local name [/queue simple get $item name]", `:local include (${isOurs("$name")} && ($name ~ $safe))`].join("\n"),
      ["$name", "[:tostr [/queue simple get $item target]]", "[/queue simple get $item max-limit]"],
      SYNC_BUDGET.queues,
    ),
    '    :set body ($body . ",\\"leases\\":[" . $leases . "],\\"suspended\\":[" . $suspended . "],\\"queues\\":[" . $queues . "]")',
    '    :if (!$complete) do={ :set body ($body . ",\\"leases_complete\\":false") }',
    "  }",
    '  :set body ($body . "}")',
    '  :local answer ""',
    "  :local reached false",
    "  :do {",
    `    :set answer ([/tool fetch url=$url http-method=post http-data=$body http-header-field=$headers output=user as-value ${fetchArguments(options.fetch)}]->"data")`,
    "    :set reached true",
    "  } on-error={",
    '    :log warning "isp_core: the agent could not check in with Odoo; its results wait for the next check-in"',
    "  }",
    "  :local end",
    '  :if ($reached) do={ :set end [:find $answer "\\n"] }',
    `  :if ($reached && (([:typeof $end] != "num") || ([:pick $answer 0 [:tonum $end]] != ${scriptString(AGENT_PROTOCOL_HEADER)}))) do={`,
    '    :log error "isp_core: Odoo answered the agent in a form it does not read; its results wait. Check odoo.url, or run isp-preloader again"',
    "    :set reached false",
    "  }",
    "  :if ($reached) do={",
    "    # Odoo has the results now.",
    '    :set ispAgentResults ""',
    '    :if ($syncing) do={ :set ispAgentSync "no" }',
    '    :local results ""',
    "    :local operations 0",
    "    :local skipped false",
    '    :while ([:typeof $end] = "num") do={',
    "      :local start ($end + 1)",
    '      :set end [:find $answer "\\n" ($start - 1)]',
    '      :if ([:typeof $end] = "num") do={',
    "        :local rest [:pick $answer $start $end]",
    ...FIELDS.map((field) => `        :local ${field} ""`),
    `        :for i from=0 to=${FIELDS.length - 1} do={`,
    `          :local cut [:find $rest ${scriptString(AGENT_FIELD_SEPARATOR)}]`,
    "          :local field $rest",
    '          :if ([:typeof $cut] = "num") do={',
    "            :set field [:pick $rest 0 $cut]",
    "            :set rest [:pick $rest ($cut + 1) [:len $rest]]",
    "          } else={",
    '            :set rest ""',
    "          }",
    ...FIELDS.map((field, index) => `          :if ($i = ${index}) do={ :set ${field} $field }`),
    "        }",
    // Only whether the next check-in is a sync: "more" is not needed (the agent checks in again
    // whenever it has applied something) and the suspended list is the installed one.
    '        :if (($word = "sync") && (($id = "yes") || ($id = "no"))) do={ :set ispAgentSync $id }',
    '        :if (($word = "op") && ($id ~ "^[0-9]+\\$")) do={',
    "          :set operations ($operations + 1)",
    `          :if ($operations > ${AGENT_MAX_OPERATIONS}) do={ :set skipped true } else={`,
    ...indent(operation(options.suspendedAddressList, networks), 6),
    "          }",
    "        }",
    "      }",
    "    }",
    `    :if ($skipped) do={ :log warning "isp_core: Odoo answered the agent with more than ${AGENT_MAX_OPERATIONS} operations; the rest were not applied" }`,
    "    :set ispAgentResults $results",
    "    # Applied operations are reported at once, not at the next tick.",
    "    :if ([:len $results] > 0) do={ :set again true }",
    "  }",
    "}",
    "",
  ].join("\n");
}
