/**
 * The agent: the only copy of it, generated here and installed as the `/system/script` named
 * AGENT_SCRIPT_NAME on routers in agent mode, which Odoo cannot reach (behind CGNAT). A scheduler
 * runs it every `agent.interval`, and the lease-script right after each lease.
 *
 * Each run checks in at Odoo's CHECKIN_PATH (isp_core/lib/agent_protocol.py holds the protocol):
 * it POSTs the results of the operations it applied, and on a sync its bound leases and the items
 * Odoo manages; Odoo answers with lines of operations. It checks in again at once while Odoo has
 * more, or while it has results to report, up to MAX_ROUNDS times.
 *
 * An operation is data, never script: each kind has its own fixed code below, and every value
 * must match the safe alphabet before it is used, so nothing Odoo sends can become a command.
 * Results the agent could not report wait in a global variable for the next check-in.
 *
 * Compatible with RouterOS 6.43+ and 7.x: no `:deserialize`, no functions, no `:onerror`. Hence a
 * failed operation is reported with the agent's own words (which operation, on what), since
 * `on-error` gives a script no error text.
 */
import {
  AGENT_FIELD_SEPARATOR,
  AGENT_SCRIPT_NAME,
  AGENT_PROTOCOL_HEADER,
  AGENT_SAFE_VALUE_REGEX,
  CHECKIN_PATH,
  COMMENT_PREFIX,
  DATABASE_HEADER,
  PLAN_PROFILE_PREFIX,
  ROUTER_KEY_HEADER,
} from "../contract.ts";
import { scriptString } from "../routeros/index.ts";

export interface AgentScriptOptions {
  /** Odoo's base URL as the router reaches it. */
  odooUrl: string;
  database: string;
  /** The router's own key, made by Odoo (`isp.router.rotate_key`). */
  key: string;
  /** The address list of suspended customers until Odoo names one. */
  suspendedAddressList: string;
  checkCertificate: boolean;
}

const MAX_ROUNDS = 100;
/** Characters of each sync list within a check-in: together under RouterOS's 64 KiB of http-data. */
const SYNC_BUDGET = { leases: 40_000, suspended: 8_000, queues: 8_000 };
/** The fields of an answer line: its word, then an operation's id, kind and up to six values. */
const FIELDS = ["word", "id", "kind", "v1", "v2", "v3", "v4", "v5", "v6"];

function checkinUrl(odooUrl: string): string {
  return `${odooUrl.replace(/\/+$/, "")}${CHECKIN_PATH}`;
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
    ...condition.split("\n").map((line) => `      ${line}`),
    `      :if ($include && ([:len $${name}] >= ${budget})) do={ :set complete false }`,
    `      :if ($include && ([:len $${name}] < ${budget})) do={`,
    `        :if ([:len $${name}] > 0) do={ :set ${name} ($${name} . ",") }`,
    `        :set ${name} ($${name} . "[" . ${cells} . "]")`,
    "      }",
    "    }",
  ];
}

const OURS = scriptString(COMMENT_PREFIX);
/** Whether a text (a script expression) starts with the prefix that marks what isp_core made. */
const isOurs = (text: string): string => `([:pick ${text} 0 ${COMMENT_PREFIX.length}] = ${OURS})`;

/** An address-list entry's guard: the suspended list Odoo named, and an entry isp_core made. */
const OUR_LIST_ENTRY = [`(($v1 = $ispAgentList) && ${isOurs("$v2")})`, '("not isp_core\'s address list entry: " . $v1)'] as const;

/**
 * Applies one operation kind: `$v1`… are its values, in agent_protocol.OPERATIONS order. Each
 * touches only what isp_core made (its comment or name prefix, the suspended list Odoo named),
 * so that even a spoofed Odoo can change nothing else on the router.
 */
const APPLY: Record<string, string[]> = {
  "user-upsert": guarded(isOurs("$v6"), '"the comment does not mark it as isp_core\'s"', [
    ":if ([:len [/ip hotspot user profile find name=$v4]] = 0) do={",
    '  :set failure ("no hotspot user profile " . $v4)',
    "} else={",
    ...indent(upsert("/ip hotspot user", "name=$v1", "password=$v2 mac-address=$v3 profile=$v4 disabled=$v5 comment=$v6", true), 1),
    "}",
  ]),
  "user-remove": removal("/ip hotspot user", "name=$v1"),
  "profile-rate": guarded(
    `([:pick $v1 0 ${PLAN_PROFILE_PREFIX.length}] = ${scriptString(PLAN_PROFILE_PREFIX)})`,
    '("not a profile of isp_core: " . $v1)',
    // RouterOS gives a user profile no comment: its name marks it as isp_core's.
    upsert("/ip hotspot user profile", "name=$v1", "rate-limit=$v2", false),
  ),
  "list-upsert": guarded(...OUR_LIST_ENTRY, upsert("/ip firewall address-list", "list=$v1 comment=$v2", "address=$v3", true)),
  "list-remove": guarded(...OUR_LIST_ENTRY, removal("/ip firewall address-list", "list=$v1 comment=$v2")),
  "queue-upsert": guarded(
    `(${isOurs("$v1")} && ${isOurs("$v4")})`,
    '("not isp_core\'s queue: " . $v1)',
    upsert("/queue simple", "name=$v1", "target=$v2 max-limit=$v3 comment=$v4", true),
  ),
  "queue-remove": guarded(isOurs("$v1"), '("not isp_core\'s queue: " . $v1)', removal("/queue simple", "name=$v1")),
};

/** `lines` when `condition` holds, else the failure `reason` (a script expression). */
function guarded(condition: string, reason: string, lines: string[]): string[] {
  return [`:if (!${condition}) do={`, `  :set failure ${reason}`, "} else={", ...indent(lines, 1), "}"];
}

/** Refuses an item found under the key that isp_core did not make (its comment says so). */
function notOurs(menu: string): string[] {
  return [":foreach item in=$found do={", `  :if (!${isOurs(`[${menu} get $item comment]`)}) do={ :set failure ("not isp_core's: " . $v1) }`, "}"];
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

export function buildAgentScript(options: AgentScriptOptions): string {
  const headers = ["Content-Type: application/json", `${ROUTER_KEY_HEADER}: ${options.key}`, `${DATABASE_HEADER}: ${options.database}`].join(",");
  const values = FIELDS.slice(2).map((field) => `$${field}`);
  return [
    "# isp_core agent: checks in with Odoo and applies what Odoo answers. Generated by isp-preloader; re-run it instead of editing.",
    "# An operation is data, never script: each kind has its own code below, and every value must match $safe first.",
    ":global ispAgentResults",
    ":global ispAgentSync",
    ":global ispAgentList",
    ':if ([:typeof $ispAgentResults] != "str") do={ :set ispAgentResults "" }',
    ':if ([:typeof $ispAgentSync] != "str") do={ :set ispAgentSync "yes" }',
    `:if ([:typeof $ispAgentList] != "str") do={ :set ispAgentList ${scriptString(options.suspendedAddressList)} }`,
    `:local safe ${scriptString(AGENT_SAFE_VALUE_REGEX)}`,
    `:local url ${scriptString(checkinUrl(options.odooUrl))}`,
    `:local headers ${scriptString(headers)}`,
    ":local rounds 0",
    ":local again true",
    // The scheduler and the lease-script both start the agent: a second run would apply an answer
    // older than the first one's, so it leaves the check-in to the run already going.
    `:if ([:len [/system script job find script=${AGENT_SCRIPT_NAME}]] > 1) do={ :set again false }`,
    `:while ($again && ($rounds < ${MAX_ROUNDS})) do={`,
    "  :set again false",
    "  :set rounds ($rounds + 1)",
    "  :local identity [/system identity get name]",
    '  :if (!($identity ~ $safe)) do={ :set identity "" }',
    `  :local body ("{\\"agent\\":\\"${AGENT_PROTOCOL_HEADER}\\",\\"identity\\":\\"" . $identity . "\\",\\"version\\":\\"" . [/system resource get version] . ` +
      '"\\",\\"uptime\\":\\"" . [:tostr [/system resource get uptime]] . "\\",\\"results\\":[" . $ispAgentResults . "]")',
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
        ":local host [/ip dhcp-server lease get $item host-name]",
        ':if (!($host ~ $safe)) do={ :set host "" }',
        ":set host [:pick $host 0 63]",
        ":local server [/ip dhcp-server lease get $item server]",
        ':if (!($server ~ $safe)) do={ :set server "" }',
      ].join("\n"),
      ["[/ip dhcp-server lease get $item active-mac-address]", "[/ip dhcp-server lease get $item active-address]", "$server", "$host"],
      SYNC_BUDGET.leases,
    ),
    ...jsonRows(
      "suspended",
      "/ip firewall address-list",
      " list=$ispAgentList",
      [":local comment [/ip firewall address-list get $item comment]", ":local include ($comment ~ $safe)"].join("\n"),
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
    `    :set answer ([/tool fetch url=$url http-method=post http-data=$body http-header-field=$headers output=user as-value check-certificate=${options.checkCertificate ? "yes" : "no"}]->"data")`,
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
    '        :if (($word = "more") && ($id = "yes")) do={ :set again true }',
    '        :if ($word = "sync") do={ :set ispAgentSync $id }',
    '        :if (($word = "list") && ($id ~ $safe)) do={ :set ispAgentList $id }',
    '        :if (($word = "op") && ($id ~ "^[0-9]+\\$")) do={',
    '          :local outcome ""',
    '          :local failure ""',
    `          :if (!(${values.map((value) => `(${value} ~ $safe)`).join(" && ")})) do={`,
    '            :set failure ("a value outside the safe alphabet in " . $kind . ": not applied")',
    "          } else={",
    "            :do {",
    ...Object.entries(APPLY).flatMap(([kind, lines]) => [
      `              :if ($kind = ${scriptString(kind)}) do={`,
      ...indent(lines, 8),
      "              }",
    ]),
    '              :if (($outcome = "") && ($failure = "")) do={ :set failure ("unknown operation " . $kind) }',
    "            } on-error={",
    '              :set failure ("RouterOS refused " . $kind . " " . $v1)',
    "            }",
    "          }",
    '          :if ([:len $results] > 0) do={ :set results ($results . ",") }',
    '          :if ($failure = "") do={',
    '            :set results ($results . "{\\"id\\":" . $id . ",\\"outcome\\":\\"" . $outcome . "\\"}")',
    "          } else={",
    '            :set results ($results . "{\\"id\\":" . $id . ",\\"error\\":\\"" . $failure . "\\"}")',
    "          }",
    "        }",
    "      }",
    "    }",
    "    :set ispAgentResults $results",
    "    # Applied operations are reported at once, not at the next tick.",
    "    :if ([:len $results] > 0) do={ :set again true }",
    "  }",
    "}",
    "",
  ].join("\n");
}
