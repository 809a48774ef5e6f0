/**
 * One preloader run: config → secrets → Odoo preflight → discovery → plan every router and
 * check every conflict → (stop here on --dry-run) → apply → register in Odoo → verify.
 * Nothing is written before every router's plan is known to be safe.
 */
import { loadConfig, type LoadedConfig } from "./config-loader.ts";
import { durationSeconds } from "../routeros/duration.ts";
import { builtinTrustWarning, routerKeyOf, buildDesiredState, lanNetworks, routerIdentity, type DesiredObject } from "./desired-state.ts";
import { discoverRouters, formatProbe, type ProbeResult } from "./discovery.ts";
import { applyRouterPlan } from "./apply.ts";
import { ConfigError, ConflictError, LoginRefusedError, NotReadyError, OdooError, UnreachableError, VerifyError } from "./errors.ts";
import { connectOdoo, type OdooApi } from "./odoo-client.ts";
import { normalizeCidrList } from "./ipv4.ts";
import {
  routerKeyAccepted,
  applyOdoo,
  formatOdooItem,
  issueRouterKey,
  planOdoo,
  readOdooRouters,
  readOdooState,
  type OdooDesired,
  type OdooPlanItem,
  type OdooState,
} from "./odoo-registration.ts";
import { computePlan, formatPlanItem, type PlanItem, type RouterSnapshot } from "./plan.ts";
import { lockoutProblem, missingInterfaces } from "./preflight.ts";
import type { Reporter } from "./reporter.ts";
import { odooCa, type OdooCa } from "./odoo-trust.ts";
import { checkReadiness, formatReadiness, recordReadiness } from "./readiness.ts";
import { certificateCheckWarning, fetchFlavour } from "./router-fetch.ts";
import { routerRelease, unverifiedReleaseWarning, type RouterRelease } from "./router-release.ts";
import { readPreflight, readRelease, readSnapshot, type RouterSession } from "./router-session.ts";
import { ENV, readExtraAllowedMgmtIps, readSecrets, secretValues, type Secrets } from "./secrets.ts";

export interface RunOptions {
  configFile: string;
  dryRun: boolean;
  /** Let a run change the management user's password when MIKROTIK_MGMT_PASS does not log in as it. */
  rotateMgmtPassword: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

interface RouterTarget {
  session: RouterSession;
  identity: string;
  desired: DesiredObject[];
  items: PlanItem[];
  snapshot: RouterSnapshot;
  /** The key its lease-script holds, while Odoo has not refused it. */
  routerKey: string | undefined;
  release: RouterRelease;
}

function countPlan(items: { action: string }[]): string {
  const count = (action: string) => items.filter((item) => item.action === action).length;
  return `plan: ${count("add")} to add, ${count("change")} to change, ${count("remove")} to remove`;
}

/** Only a router that answered and accepted a login is configured; the others explain why not. */
function usableRouters(loaded: LoadedConfig, probes: ProbeResult[]): RouterSession[] {
  const sessions = probes.flatMap((result) => (result.outcome === "router" ? [result.session] : []));
  if (sessions.length > 0) return sessions;
  const subnet = loaded.describeKey(["mgmt_subnet"]);
  const refused = probes.filter((result) => result.outcome === "login refused");
  if (refused.length > 0) {
    throw new LoginRefusedError(`${subnet}: ${refused.length} router(s) answered, none accepted the login (see the lines above)`);
  }
  throw new UnreachableError(`${subnet}: no RouterOS API answered on port ${loaded.config.routeros.api_port}`);
}

/** What every router of a run is set up with: the config, the secrets, the allow-list and Odoo's CA. */
interface RunInputs {
  loaded: LoadedConfig;
  secrets: Secrets;
  allowed: string[];
  odooCa: OdooCa | undefined;
}

function desiredFor(inputs: RunInputs, identity: string, release: RouterRelease, routerKey?: string): DesiredObject[] {
  const { loaded, secrets } = inputs;
  return buildDesiredState({
    config: loaded.config,
    identity,
    mgmtPassword: secrets.mgmtPassword,
    allowedMgmtIps: inputs.allowed,
    routerKey,
    release,
    odooCa: inputs.odooCa,
  });
}

async function planRouter(inputs: RunInputs, session: RouterSession): Promise<RouterTarget> {
  const { loaded, secrets, allowed } = inputs;
  const { config } = loaded;
  const identity = routerIdentity(config, session.address);
  const release = routerRelease(await readRelease(session));
  const desired = desiredFor(inputs, identity, release);
  const snapshot = await readSnapshot(config, secrets, session, desired);
  const preflight = await readPreflight(session);
  const missing = missingInterfaces(config, preflight.interfaces, loaded.describeKey);
  if (missing.length > 0) throw new ConfigError(`${session.address}: ${missing.join("\n  ")}`);
  const plan = computePlan(desired, snapshot);
  if (plan.conflicts.length > 0) {
    const lines = plan.conflicts.map((conflict) => `${loaded.describeKey(conflict.object.configPath)}: ${conflict.message}`);
    throw new ConflictError(`${session.address}: nothing was written, because:\n  ${lines.join("\n  ")}`);
  }
  const lockout = lockoutProblem(preflight.activeSessions, session.user, allowed);
  if (lockout !== undefined) throw new ConflictError(`${session.address}: nothing was written: ${lockout}`);
  const dhcpServer = (snapshot.menus["/ip/dhcp-server"] ?? []).find((row) => row.name === config.lan.dhcp_server_name);
  return { session, identity, desired, items: plan.items, snapshot, routerKey: routerKeyOf(dhcpServer?.["lease-script"]), release };
}

/** Plans the router again for its key, on the snapshot already read: the key is all that changed. */
function withRouterKey(inputs: RunInputs, router: RouterTarget, key: string): RouterTarget {
  const desired = desiredFor(inputs, router.identity, router.release, key);
  return { ...router, desired, items: computePlan(desired, router.snapshot).items, routerKey: key };
}

/**
 * Keeps the key of each router whose lease-script holds one Odoo accepts; the others are planned
 * to get a new key, which only Odoo can make, once their Odoo record exists. The lease-script
 * signs its reports with it, and the agent its check-ins.
 */
async function checkRouterKeys(
  inputs: RunInputs,
  odoo: OdooApi,
  routers: RouterTarget[],
  odooState: OdooState,
): Promise<{ routers: RouterTarget[]; keyItems: OdooPlanItem[] }> {
  const checked: RouterTarget[] = [];
  const keyItems: OdooPlanItem[] = [];
  for (const router of routers) {
    const record = odooState.routers.find((candidate) => candidate.name === router.identity);
    const key = router.routerKey;
    if (record !== undefined && key !== undefined && (await routerKeyAccepted(odoo, record.id, key))) {
      checked.push(withRouterKey(inputs, router, key));
    } else {
      checked.push({ ...router, routerKey: undefined });
      keyItems.push({ action: "add", model: "router key", name: router.identity });
    }
  }
  return { routers: checked, keyItems };
}

/** Gets the new keys from Odoo (its router records exist by now) and plans their routers with them. */
async function issueRouterKeys(
  inputs: RunInputs,
  odoo: OdooApi,
  wanted: OdooDesired,
  routers: RouterTarget[],
  reporter: Reporter,
): Promise<RouterTarget[]> {
  const records = await readOdooRouters(odoo, wanted);
  const keyed: RouterTarget[] = [];
  for (const router of routers) {
    const record = records.find((candidate) => candidate.name === router.identity);
    if (router.routerKey !== undefined || record === undefined) {
      keyed.push(router);
      continue;
    }
    const key = await issueRouterKey(odoo, record.id);
    reporter.hide([key]);
    reporter.progress(`odoo: new router key for ${router.identity}`);
    keyed.push(withRouterKey(inputs, router, key));
  }
  return keyed;
}

function odooDesired(loaded: LoadedConfig, secrets: Secrets, routers: RouterTarget[]): OdooDesired {
  const { config } = loaded;
  return {
    sector: { code: config.sector.code, name: config.sector.name },
    routers: routers.map((router) => ({
      name: router.identity,
      active: true,
      // In agent mode Odoo never connects, so it is given no address to try.
      host: config.routeros.connection_mode === "agent" ? false : (config.routeros.odoo_hosts[router.session.address] ?? router.session.address),
      api_port: config.routeros.api_port,
      use_tls: config.routeros.use_tls,
      api_user: config.routeros.mgmt_user,
      api_password: secrets.mgmtPassword,
      suspended_address_list: config.firewall.suspended_address_list,
      lan_networks: lanNetworks(config).join(","),
      connection_mode: config.routeros.connection_mode,
      ...(config.routeros.connection_mode === "agent"
        ? {
            checkin_interval: durationSeconds(config.routeros.agent_interval) ?? 30,
            sync_interval: durationSeconds(config.routeros.agent_sync_interval) ?? 300,
          }
        : {}),
    })),
  };
}

async function verify(loaded: LoadedConfig, secrets: Secrets, odoo: OdooApi, wanted: OdooDesired, routers: RouterTarget[]): Promise<void> {
  const leftovers: string[] = [];
  for (const router of routers) {
    const snapshot = await readSnapshot(loaded.config, secrets, router.session, router.desired);
    leftovers.push(...computePlan(router.desired, snapshot).items.map((item) => `${router.session.address}: ${formatPlanItem(item)}`));
  }
  leftovers.push(...planOdoo(await readOdooState(odoo, wanted), wanted).map(formatOdooItem));
  if (leftovers.length > 0) throw new VerifyError(`verification found ${leftovers.length} difference(s) left:\n  ${leftovers.join("\n  ")}`);
}

/**
 * Odoo's side comes after the routers': when it fails, the routers are already written, and the
 * summary says so, with what Odoo still lacks. A re-run plans exactly that part again.
 */
async function applyOdooOrExplain(
  odoo: OdooApi,
  state: OdooState,
  items: OdooPlanItem[],
  routers: RouterTarget[],
  reporter: Reporter,
): Promise<void> {
  const written: OdooPlanItem[] = [];
  try {
    await applyOdoo(odoo, state, items, (item) => written.push(item));
  } catch (error) {
    if (!(error instanceof OdooError)) throw error;
    const missing = items.filter((item) => !written.includes(item));
    reporter.result(
      `partial: ${routers.length} router(s) configured, but Odoo was not updated: ${missing.length} of ${items.length} change(s) not written:`,
    );
    missing.forEach((item) => reporter.result(`  ${formatOdooItem(item)}`));
    reporter.result("run the preloader again to complete Odoo's side; the routers will need no change");
    throw new OdooError(`${error.message}\nthe router(s) were configured; Odoo's side is incomplete (see the summary above)`);
  }
}

/** What the operator must read before applying: the CA the routers will trust, and what is not as safe as it looks. */
function planNotes(inputs: RunInputs, router: RouterTarget): string[] {
  const { config } = inputs.loaded;
  const importsCa = router.items.some((item) => item.action === "add" && item.importPem !== undefined);
  const ca = inputs.odooCa;
  return [
    ...(importsCa && ca !== undefined ? [`# Odoo's CA ${ca.subject}, from ${ca.origin}: SHA-256 ${ca.fingerprint}`] : []),
    ...(ca?.warnings ?? []).map((warning) => `!! ${warning}`),
    ...[certificateCheckWarning(config), unverifiedReleaseWarning(router.release), builtinTrustWarning(config, router.release)]
      .filter((note) => note !== undefined)
      .map((note) => (note.startsWith("!!") ? note : `!! ${note}`)),
  ];
}

/**
 * Each router fetches Odoo's readiness URL as its scripts would; Odoo records the outcome on the
 * router's form. A router that cannot reach Odoo fails the run, with its words and what to do.
 */
async function proveReadiness(inputs: RunInputs, odoo: OdooApi, wanted: OdooDesired, routers: RouterTarget[], reporter: Reporter): Promise<void> {
  const { config } = inputs.loaded;
  const records = await readOdooRouters(odoo, wanted);
  const failures: string[] = [];
  for (const router of routers) {
    const result = await checkReadiness(router.session, config.odoo.url, fetchFlavour(config, router.release));
    const record = records.find((candidate) => candidate.name === router.identity);
    if (record !== undefined) await recordReadiness(odoo, record.id, result);
    const line = formatReadiness(router.session.address, result);
    if (result.failure === undefined) reporter.progress(line);
    else failures.push(line);
  }
  if (failures.length > 0) {
    throw new NotReadyError(`the router(s) are configured, but cannot reach Odoo as their scripts will:\n  ${failures.join("\n  ")}`);
  }
}

/** Runs the preloader and returns how many changes it planned (a dry run) or made. */
export async function runPreloader(options: RunOptions, reporter: Reporter): Promise<number> {
  const loaded = await loadConfig(options.configFile);
  const secrets = readSecrets(options.env);
  reporter.hide(secretValues(secrets));
  const { config } = loaded;
  const allowed = [...config.routeros.allowed_mgmt_ips, ...readExtraAllowedMgmtIps(options.env)];
  reporter.progress(`config: ${options.configFile} is valid; API will be allowed from ${normalizeCidrList(allowed).join(",")}`);
  const inputs: RunInputs = { loaded, secrets, allowed, odooCa: await odooCa(loaded) };

  const odoo = await connectOdoo({
    url: config.odoo.api_url ?? config.odoo.url,
    database: config.odoo.database,
    login: config.odoo.login,
    credentials: secrets.odoo,
    lang: config.odoo.lang,
    sources: {
      url: loaded.describeKey(["odoo", config.odoo.api_url ? "api_url" : "url"]),
      database: loaded.describeKey(["odoo", "database"]),
      login: loaded.describeKey(["odoo", "login"]),
      lang: loaded.describeKey(["odoo", "lang"]),
    },
  });
  // Odoo answers before any router is touched. Every router the run sets up signs with its own
  // key, so Odoo's shared onboarding token is left as it is (routers set up by hand use it).
  const sectorState = await readOdooState(odoo, odooDesired(loaded, secrets, []));
  reporter.progress(`odoo: connected to database "${config.odoo.database}", writing in ${odoo.lang}`);

  reporter.progress(`discovery: probing ${config.mgmt_subnet} on port ${config.routeros.api_port}`);
  const probes = await discoverRouters(config, secrets, (result) => reporter.progress(`discovery: ${formatProbe(result)}`));
  const sessions = usableRouters(loaded, probes);
  try {
    let routers: RouterTarget[] = [];
    for (const session of sessions) {
      routers.push(await planRouter(inputs, session));
      reporter.progress(`${session.address}: read and planned`);
      if (session.user === config.routeros.bootstrap_user && secrets.bootstrapPassword === "" && !config.routeros.disable_bootstrap_user) {
        reporter.progress(
          `warning: ${session.address}: the factory account "${session.user}" logs in with an empty password, so anyone who ` +
            `reaches the router can administer it: give it a password (then export ${ENV.bootstrapPassword}) or disable it (routeros.disable_bootstrap_user: true)`,
        );
      }
    }
    const wanted = odooDesired(loaded, secrets, routers);
    // The sector was read above; only the router records depend on discovery.
    const odooState = { ...sectorState, routers: await readOdooRouters(odoo, wanted) };
    const keys = await checkRouterKeys(inputs, odoo, routers, odooState);
    routers = keys.routers;
    const odooItems: OdooPlanItem[] = planOdoo(odooState, wanted);

    for (const router of routers) {
      reporter.result(`router ${router.session.address} (${router.identity}):`);
      router.items.forEach((item) => reporter.result(`  ${formatPlanItem(item)}`));
      planNotes(inputs, router).forEach((note) => reporter.result(`  ${note}`));
    }
    reporter.result(`odoo ${config.odoo.database}:`);
    [...odooItems, ...keys.keyItems].forEach((item) => reporter.result(`  ${formatOdooItem(item)}`));
    const planned = [...routers.flatMap((router) => router.items), ...odooItems, ...keys.keyItems];
    reporter.result(countPlan(planned));
    if (options.dryRun) {
      reporter.progress("dry run: nothing was written");
      return planned.length;
    }
    const rotations = routers.filter((router) => router.items.some((item) => item.action === "change" && item.rotatesSecret));
    if (rotations.length > 0 && !options.rotateMgmtPassword) {
      throw new ConflictError(
        `${rotations.map((router) => router.session.address).join(", ")}: ${ENV.mgmtPassword} does not log in as ${config.routeros.mgmt_user}, ` +
          "so applying would change its password (a mistyped password would lock Odoo out). Nothing was written. " +
          `Export the router's current password, or re-run with --rotate-mgmt-password to change it.`,
      );
    }

    const described = routers.map((router) => `${router.session.address} as ${router.identity}`).join(", ");
    if (planned.length === 0) {
      reporter.result(`nothing to change: ${routers.length} router(s) and Odoo already match the config: ${described}`);
      await proveReadiness(inputs, odoo, wanted, routers, reporter);
      return 0;
    }
    if (keys.keyItems.length > 0) {
      // A new router key comes from Odoo, for a router record that must exist first: Odoo's side
      // goes first, and the routers get their scripts with the key.
      await applyOdoo(odoo, odooState, odooItems, () => undefined);
      reporter.progress(`odoo: ${odooItems.length} change(s) written`);
      routers = await issueRouterKeys(inputs, odoo, wanted, routers, reporter);
      for (const router of routers) await applyRouterPlan(router.session, router.items, (line) => reporter.progress(line));
    } else {
      for (const router of routers) await applyRouterPlan(router.session, router.items, (line) => reporter.progress(line));
      await applyOdooOrExplain(odoo, odooState, odooItems, routers, reporter);
      reporter.progress(`odoo: ${odooItems.length} change(s) written`);
    }
    await verify(loaded, secrets, odoo, wanted, routers);
    reporter.progress("verify: router(s) and Odoo match the config");
    reporter.result(`done: ${routers.length} router(s) configured: ${described}`);
    await proveReadiness(inputs, odoo, wanted, routers, reporter);
    return planned.length;
  } finally {
    await Promise.all(sessions.map((session) => session.client.close()));
  }
}
