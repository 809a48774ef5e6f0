/**
 * Every command path and argument the preloader sends, recorded from real runs against the
 * emulator, must exist in the grammar of real RouterOS 7.12.2, 7.19.6 and 7.24 (tools/routeros/grammar).
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { buildAgentScript } from "../../tools/mikrotik_preloader/agent-script.ts";
import { buildLeaseScript } from "../../tools/mikrotik_preloader/lease-script.ts";
import type { FetchFlavour } from "../../tools/mikrotik_preloader/router-fetch.ts";
import { releaseTakes, routerRelease } from "../../tools/mikrotik_preloader/router-release.ts";
import { parseScript, type Command } from "../../tools/routeros-emulator/script/index.ts";
import { RouterOsClient } from "../../tools/routeros/index.ts";
import { GRAMMAR_VERSIONS, loadGrammar, type CommandTree as TreeNode } from "../../tools/routeros/grammar.ts";
import { startFakeOdoo, type FakeOdoo } from "./fake-odoo.ts";
import { adminClient, runCli, secretEnv, startRouter, testConfig, writeConfig } from "./harness.ts";

/** `/login` belongs to the API protocol, not to the console's command tree. */
const PROTOCOL_COMMANDS = new Set(["/login"]);

/** API attribute words that `/console/inspect` lists under another name. */
const ARGUMENT_ALIASES: Record<string, string> = { ".id": "numbers" };

function missingFrom(tree: TreeNode, path: string, args: string[]): string[] {
  let node: TreeNode | undefined = tree;
  for (const part of path.split("/").filter(Boolean)) {
    const child: TreeNode | string | undefined = node?.[part];
    node = typeof child === "object" ? child : undefined;
  }
  if (node?._type !== "cmd") return [`${path} (no such command)`];
  return args
    .map((arg) => ARGUMENT_ALIASES[arg] ?? arg)
    .filter((arg) => typeof node[arg] !== "object")
    .map((arg) => `${path} ${arg}=`);
}

/** Runs `fn` while recording every command any RouterOsClient sends, as path → argument names. */
async function recordCommands(fn: () => Promise<void>): Promise<Map<string, Set<string>>> {
  const recorded = new Map<string, Set<string>>();
  const original = RouterOsClient.prototype.command;
  RouterOsClient.prototype.command = function (this: RouterOsClient, path, args = {}, options) {
    if (PROTOCOL_COMMANDS.has(path)) return original.call(this, path, args, options);
    const names = recorded.get(path) ?? new Set<string>();
    Object.keys(args).forEach((name) => names.add(name));
    recorded.set(path, names);
    return original.call(this, path, args, options);
  };
  try {
    await fn();
  } finally {
    RouterOsClient.prototype.command = original;
  }
  return recorded;
}

/**
 * `[find name=api]`, `[:pick [/ip firewall filter find dynamic=no] 0]`: bracketed commands become
 * `[]`, innermost first, so their arguments are not taken for the command's own. A bracket that
 * holds a quote is inside a string and stays, keeping the string's quotes paired.
 */
function withoutSubcommands(text: string): string {
  const stripped = text.replace(/\[[^[\]"]*\]/g, "[]");
  return stripped === text ? text : withoutSubcommands(stripped);
}

/**
 * Read-only properties a script filters by, which RouterOS's trees do not list (they list a
 * menu's writable properties under set and add): a job's script, as in the documented idiom
 * `[/system script job find script=name]`.
 */
const READ_ONLY_FILTERS: Record<string, string[]> = { "/system/script/job": ["script"] };

/** The global commands of the emulator's script syntax tree, by the name RouterOS's tree gives them. */
const GLOBAL_COMMANDS = new Set([
  "local",
  "global",
  "set",
  "if",
  "do",
  "while",
  "for",
  "foreach",
  "put",
  "tostr",
  "tonum",
  "len",
  "typeof",
  "error",
  "pick",
  "find",
]);
const FETCH_ARGUMENTS: Record<string, string> = {
  url: "url",
  httpMethod: "http-method",
  httpHeaderField: "http-header-field",
  httpData: "http-data",
  output: "output",
  checkCertificate: "check-certificate",
  keepResult: "keep-result",
  idleTimeout: "idle-timeout",
};

/** Every command a script holds, nested ones included, as the command path and argument names RouterOS's tree has. */
function scriptCommands(source: string): { path: string; args: string[]; filters?: string[] }[] {
  const found: { path: string; args: string[]; filters?: string[] }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const command = node as Command;
    if (GLOBAL_COMMANDS.has(command.kind)) found.push({ path: `/${command.kind}`, args: [] });
    if (command.kind === "log") found.push({ path: `/log/${command.topic}`, args: [] });
    if (command.kind === "fetch") {
      const given = Object.entries(command.arguments).filter(([, value]) => value !== undefined && value !== false);
      found.push({ path: "/tool/fetch", args: given.map(([name]) => FETCH_ARGUMENTS[name] ?? (name === "asValue" ? "as-value" : name)) });
    }
    if (command.kind === "menu") {
      const names = command.named.map(([name]) => name);
      // `find name=x` filters by properties, which RouterOS's tree does not list under find.
      found.push(
        command.verb === "find"
          ? { path: `/${command.path}/find`, args: [], filters: names }
          : { path: `/${command.path}/${command.verb}`, args: names },
      );
    }
    Object.values(node).forEach(visit);
  };
  visit(parseScript(source));
  return found;
}

/** The fetch arguments the preloader gives a router of `version`: those of its release, with the default certificate check. */
function flavourOf(version: string): FetchFlavour {
  return { checkCertificate: "yes-without-crl", idleTimeout: releaseTakes(routerRelease(version), "/tool/fetch", "idle-timeout") };
}

describe("the scripts the preloader installs", () => {
  const key = "k".repeat(43);
  const scriptsFor = (version: string) => ({
    "agent script": buildAgentScript({
      odooUrl: "https://odoo.example",
      database: "isp",
      key,
      suspendedAddressList: "isp_suspended",
      lanNetworks: ["10.10.0.0/24"],
      fetch: flavourOf(version),
    }),
    "lease-script": buildLeaseScript({
      odooUrl: "https://odoo.example",
      database: "isp",
      token: "t".repeat(20),
      routerKey: key,
      routerIdentity: "r",
      sectorCode: "s",
      fetch: flavourOf(version),
      runAgent: true,
    }),
  });
  for (const version of GRAMMAR_VERSIONS) {
    for (const [name, source] of Object.entries(scriptsFor(version))) {
      it(`the ${name} uses only commands, arguments and properties RouterOS ${version} has`, () => {
        const { tree } = loadGrammar(version);
        const commands = scriptCommands(source);
        assert.ok(commands.some(({ path }) => path === "/tool/fetch"));
        const missing = commands.flatMap(({ path, args, filters = [] }) => {
          const menu = path.slice(0, path.lastIndexOf("/"));
          // A filter names a property, which the menu's set (or add) takes.
          const unknownFilters = filters
            .filter((filter) => !READ_ONLY_FILTERS[menu]?.includes(filter))
            .filter((filter) => missingFrom(tree, `${menu}/set`, [filter]).length > 0 && missingFrom(tree, `${menu}/add`, [filter]).length > 0);
          return [...missingFrom(tree, path, args), ...unknownFilters.map((filter) => `${path} ${filter}= (no such property)`)];
        });
        assert.deepEqual([...new Set(missing)], []);
      });
    }
  }
});

describe("commands against RouterOS's own command trees", () => {
  let odoo: FakeOdoo;
  /** What the preloader sent a router of each version: its commands follow the router's release. */
  const recordedBy = new Map<string, Map<string, Set<string>>>();
  before(async () => {
    odoo = await startFakeOdoo();
    for (const version of GRAMMAR_VERSIONS) recordedBy.set(version, await recordRun(version));
  });
  after(() => odoo.close());

  async function recordRun(version: string): Promise<Map<string, Set<string>>> {
    const router = await startRouter({ version });
    const client = await adminClient(router);
    await client.add("/ip/firewall/filter", { chain: "forward", action: "accept", "connection-state": "established" });
    await client.close();
    try {
      return await recordCommands(async () => {
        const env = secretEnv(odoo);
        const first = await runCli(["--config", await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32"))], env);
        assert.equal(first.code, 0, first.stderr);
        // A port taken out of lan_ports and a new management password: the run removes and sets.
        const rotated = await writeConfig(testConfig(odoo, router.port, "127.0.0.1/32", { lan_ports: ["sfp1"] }));
        const second = await runCli(["--config", rotated, "--rotate-mgmt-password"], {
          ...env,
          MIKROTIK_MGMT_PASS: "another-management-password",
        });
        assert.equal(second.code, 0, second.stderr);
      });
    } finally {
      await router.close();
    }
  }

  /** `/ip service set [find name=api] address=...` → `/ip/service/set` with `address`. */
  let exportedCommands: { path: string; args: string[] }[];
  before(async () => {
    const file = await writeConfig(testConfig(odoo, 8728, "127.0.0.1/32"));
    const result = await runCli(["--config", file, "--export-rsc", `${file}.rsc`], {});
    assert.equal(result.code, 0, result.stderr);
    const lines = (await readFile(`${file}.rsc`, "utf8")).split("\n").filter((line) => line.startsWith("/"));
    exportedCommands = lines.map((line) => {
      const [, menu = "", verb = "", rest = ""] = /^(\/[a-z -]+?) (add|set) (.*)$/.exec(line) ?? [];
      const args = [...withoutSubcommands(rest).matchAll(/([a-z-]+)=(?:"(?:[^"\\]|\\.)*"|\S+)/g)].map((match) => match[1] ?? "");
      return { path: `${menu.replaceAll(" ", "/")}/${verb}`, args };
    });
    assert.ok(exportedCommands.length >= 15 && exportedCommands.every(({ args }) => args.length > 0));
  });

  it("recorded adds, sets, removes and prints", () => {
    const recorded = recordedBy.get("7.19.6") ?? new Map<string, Set<string>>();
    const verbs = new Set([...recorded.keys()].map((path) => path.split("/").at(-1)));
    // fetch: the router's own readiness fetch of Odoo, at the end of every run.
    assert.deepEqual([...verbs].sort(), ["add", "fetch", "print", "remove", "set"]);
    assert.ok(recorded.get("/user/set")?.has("password"));
    assert.ok(recorded.get("/ip/service/set")?.has("address"));
    assert.ok(recorded.get("/ip/firewall/filter/add")?.has("place-before"));
  });

  it("recorded the fixed rules of the notice page: the web proxy, its last rule, the dst-nat to it", () => {
    const recorded = recordedBy.get("7.19.6") ?? new Map<string, Set<string>>();
    assert.deepEqual([...(recorded.get("/ip/proxy/set") ?? [])].sort(), ["enabled"], "8080 is the proxy's own default");
    assert.deepEqual([...(recorded.get("/ip/proxy/access/add") ?? [])].sort(), ["action", "comment"]);
    assert.ok(["dst-address-list", "to-ports"].every((arg) => recorded.get("/ip/firewall/nat/add")?.has(arg)));
    assert.ok(exportedCommands.some(({ path, args }) => path === "/ip/proxy/set" && args.includes("port")));
  });

  it("checks the export's placement of the drop rule too", () => {
    assert.ok(exportedCommands.some(({ path, args }) => path === "/ip/firewall/filter/add" && args.includes("place-before")));
  });

  for (const version of GRAMMAR_VERSIONS) {
    it(`every command and argument exists in RouterOS ${version}`, async () => {
      const { tree } = loadGrammar(version);
      const missing = [...(recordedBy.get(version) ?? [])].flatMap(([path, args]) => missingFrom(tree, path, [...args]));
      assert.deepEqual(missing, []);
    });

    it(`every command and argument of --export-rsc exists in RouterOS ${version}`, async () => {
      const { tree } = loadGrammar(version);
      const missing = exportedCommands.flatMap(({ path, args }) => missingFrom(tree, path, args));
      assert.deepEqual(missing, []);
    });

    it(`the lease-script's /tool fetch arguments exist in RouterOS ${version}`, async () => {
      const { tree } = loadGrammar(version);
      const script = buildLeaseScript({
        odooUrl: "https://odoo.example",
        database: "isp",
        token: "t".repeat(20),
        routerIdentity: "r",
        sectorCode: "s",
        fetch: flavourOf(version),
      });
      const fetchLine = script.split("\n").find((line) => line.trim().startsWith("/tool fetch")) ?? "";
      const args = [...fetchLine.matchAll(/ ([a-z-]+)=/g)].map((match) => match[1] ?? "");
      // The manual's idle-timeout exists from 7.19.6's tree on; 7.12.2 would refuse the whole script for it.
      const idleTimeout = version === "7.12.2" ? [] : ["idle-timeout"];
      assert.deepEqual(args, ["url", "http-method", "http-data", "http-header-field", "output", "check-certificate", ...idleTimeout]);
      assert.deepEqual(missingFrom(tree, "/tool/fetch", args), []);
    });
  }
});
