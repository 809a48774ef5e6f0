/**
 * `isp-preloader`: configures MikroTik routers and Odoo's record of them from one YAML file.
 * Run as `npm run preloader -- --config FILE` or through the `isp-preloader` bin.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { loadConfig } from "./config-loader.ts";
import { buildDesiredState, routerIdentity } from "./desired-state.ts";
import { ConfigError, DETAILED_EXIT_CODES, EXIT_CODES, PreloaderError, type ExitCode } from "./errors.ts";
import { addressesOf } from "./ipv4.ts";
import { odooCa } from "./odoo-trust.ts";
import { OLDEST_CHECKED_VERSION, routerRelease } from "./router-release.ts";
import { Reporter, type Output } from "./reporter.ts";
import { renderRsc, RSC_PLACEHOLDERS } from "./rsc-export.ts";
import { runPreloader } from "./run.ts";
import { ENV, readExtraAllowedMgmtIps } from "./secrets.ts";

const HELP = `Usage: isp-preloader --config FILE [--dry-run [--detailed-exitcode]] [--rotate-mgmt-password]
       isp-preloader --config FILE --export-rsc FILE
       (or: npm run preloader -- --config FILE ...)

Configures every MikroTik router that answers in mgmt_subnet (identity, management user, WAN
DHCP client and masquerade, LAN bridge and ports, LAN address, pool, DHCP server with the
onboarding lease-script, hotspot and walled garden, the isp_suspended drop rule, and last the
API allow-list), then registers the sector and the routers in Odoo, each with its own key, which
its scripts sign with, and verifies that a new plan is empty. Re-runs change only what differs; objects it did not create
are left alone unless the config names them.

Options:
  -c, --config FILE      the YAML config (start from tools/mikrotik_preloader/config.example.yaml)
      --dry-run          print the plan and write nothing; it ends with
                         "plan: N to add, M to change, K to remove"
      --detailed-exitcode
                         with --dry-run, exit as Terraform's plan does: ${DETAILED_EXIT_CODES.noChanges} nothing to change,
                         ${DETAILED_EXIT_CODES.changesPending} changes pending, ${DETAILED_EXIT_CODES.failed} any failure (the error line says which)
      --rotate-mgmt-password
                         change the management user's password on a router where
                         ${ENV.mgmtPassword} does not log in as it (without it, the run stops)
      --export-rsc FILE  write the whole configuration as a RouterOS script for pasting by hand;
                         connects to nothing, needs no secrets, and holds placeholders
                         ${RSC_PLACEHOLDERS.mgmtPassword} and ${RSC_PLACEHOLDERS.macToken} (Odoo's shared
                         onboarding token, which a router set up by hand sends) instead of them
  -h, --help             show this help

Environment (secrets are read only from here, and never printed):
  ${ENV.mgmtPassword}       password of the management user (routeros.mgmt_user); required
  ${ENV.bootstrapPassword}  password of the bootstrap login (routeros.bootstrap_user); empty if unset
  ${ENV.odooApiKey}            Odoo API key, used with the JSON-2 API; or
  ${ENV.odooAdminPassword}         the password of odoo.login, used with /jsonrpc
  ${ENV.extraAllowedMgmtIps}     more addresses for the API allow-list, comma separated; optional

Progress goes to stderr, one line per step; the plan and the summary go to stdout.

Exit codes (without --detailed-exitcode):
  ${EXIT_CODES.ok}  success (or a dry run that planned)
  ${EXIT_CODES.unexpected}  unexpected failure (e.g. the router refused a write)
  ${EXIT_CODES.config}  config error: bad YAML, unknown or invalid key, missing environment variable,
     an interface the config names that the router lacks, bad command-line option
  ${EXIT_CODES.unreachable}  no router answered in mgmt_subnet
  ${EXIT_CODES.loginRefused}  routers answered but refused the login
  ${EXIT_CODES.conflict}  conflict, nothing written: a port in another bridge, a lockout of the preloader's
     own session, a management password that does not log in without --rotate-mgmt-password, ...
  ${EXIT_CODES.odoo}  Odoo's API could not be reached or refused a call
  ${EXIT_CODES.verify}  verification after applying still found differences
  ${EXIT_CODES.notReady}  everything was written, but the router's own fetch of Odoo's readiness URL failed
     (its words and what to do are printed: a certificate, the clock, DNS, a timeout)
`;

async function exportRsc(configFile: string, target: string, env: Readonly<Record<string, string | undefined>>, reporter: Reporter): Promise<void> {
  const loaded = await loadConfig(configFile);
  const { config } = loaded;
  const firstAddress = addressesOf(config.mgmt_subnet)?.[0] ?? "";
  const odooCaCertificate = await odooCa(loaded);
  const desired = buildDesiredState({
    config,
    identity: routerIdentity(config, firstAddress),
    mgmtPassword: RSC_PLACEHOLDERS.mgmtPassword,
    macToken: RSC_PLACEHOLDERS.macToken,
    allowedMgmtIps: [...config.routeros.allowed_mgmt_ips, ...readExtraAllowedMgmtIps(env)],
    // A router that has nothing yet is assumed to run the oldest checked release, whose commands every later one takes.
    release: routerRelease(OLDEST_CHECKED_VERSION),
    odooCa: odooCaCertificate,
  });
  await writeFile(target, renderRsc(desired), { mode: 0o600 });
  reporter.progress(`export: wrote ${desired.length} commands to ${target}`);
}

export async function main(argv: string[], env: Readonly<Record<string, string | undefined>>, stdout: Output, stderr: Output): Promise<ExitCode> {
  const reporter = new Reporter(stdout, stderr);
  let detailedExitCode = false;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          config: { type: "string", short: "c" },
          "dry-run": { type: "boolean", default: false },
          "detailed-exitcode": { type: "boolean", default: false },
          "rotate-mgmt-password": { type: "boolean", default: false },
          "export-rsc": { type: "string" },
          help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
        allowPositionals: false,
      }).values;
    } catch (error) {
      throw new ConfigError(`${(error as Error).message}\nRun with --help for usage.`);
    }
    if (parsed.help) {
      reporter.result(HELP.trimEnd());
      return EXIT_CODES.ok;
    }
    detailedExitCode = parsed["detailed-exitcode"];
    if (detailedExitCode && !parsed["dry-run"]) throw new ConfigError("--detailed-exitcode needs --dry-run. Run with --help for usage.");
    if (parsed.config === undefined) throw new ConfigError("--config FILE is required. Run with --help for usage.");
    if (parsed["export-rsc"] !== undefined) {
      await exportRsc(parsed.config, parsed["export-rsc"], env, reporter);
      return EXIT_CODES.ok;
    }
    const changes = await runPreloader(
      {
        configFile: parsed.config,
        dryRun: parsed["dry-run"],
        rotateMgmtPassword: parsed["rotate-mgmt-password"],
        env,
      },
      reporter,
    );
    if (detailedExitCode) return changes > 0 ? DETAILED_EXIT_CODES.changesPending : DETAILED_EXIT_CODES.noChanges;
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof PreloaderError) {
      reporter.progress(`error: ${error.message}`);
      return detailedExitCode ? DETAILED_EXIT_CODES.failed : error.exitCode;
    }
    reporter.progress(`error: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_CODES.unexpected;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2), process.env, process.stdout, process.stderr);
}
