/**
 * Secrets come from the environment only, are checked here, and are registered with the
 * reporter's redactor so that no message can carry them to stdout or stderr.
 */
import { ConfigError } from "./errors.ts";
import { parseCidr } from "./ipv4.ts";

export const ENV = {
  mgmtPassword: "MIKROTIK_MGMT_PASS",
  bootstrapPassword: "MIKROTIK_BOOTSTRAP_PASS",
  odooApiKey: "ODOO_API_KEY",
  odooAdminPassword: "ODOO_ADMIN_PASS",
  extraAllowedMgmtIps: "ISP_ALLOWED_MGMT_IPS",
} as const;

export type OdooCredentials = { kind: "api_key"; apiKey: string } | { kind: "password"; password: string };

export interface Secrets {
  mgmtPassword: string;
  /** Empty for RouterOS's factory admin. */
  bootstrapPassword: string;
  odoo: OdooCredentials;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The shortest secret the preloader accepts. Output masks a secret wherever it stands as a whole
 * value; a shorter one ("1234", "abc") would also stand for ordinary numbers and words in it,
 * which masking would turn into nonsense and, by what it hides, give away.
 */
export const SECRET_MIN_LENGTH = 5;

export function readSecrets(env: Environment): Secrets {
  const missing: string[] = [];
  const required = (name: string): string => {
    const value = env[name];
    if (!value) missing.push(name);
    return value ?? "";
  };
  const mgmtPassword = required(ENV.mgmtPassword);
  const apiKey = env[ENV.odooApiKey];
  const adminPassword = env[ENV.odooAdminPassword];
  if (!apiKey && !adminPassword) missing.push(`${ENV.odooApiKey} or ${ENV.odooAdminPassword}`);
  if (missing.length > 0) {
    throw new ConfigError(`missing environment variable(s): ${missing.join(", ")}`);
  }
  // The bootstrap password may be empty (RouterOS's factory admin); set, it follows the rule.
  const tooShort = [ENV.mgmtPassword, ENV.bootstrapPassword, ENV.odooApiKey, ENV.odooAdminPassword].filter((name) => {
    const value = env[name];
    return value !== undefined && value !== "" && value.length < SECRET_MIN_LENGTH;
  });
  if (tooShort.length > 0) {
    throw new ConfigError(
      `${tooShort.join(", ")}: must be at least ${SECRET_MIN_LENGTH} characters, so that the preloader's output can mask it without masking ordinary words`,
    );
  }
  return {
    mgmtPassword,
    bootstrapPassword: env[ENV.bootstrapPassword] ?? "",
    odoo: apiKey ? { kind: "api_key", apiKey } : { kind: "password", password: adminPassword ?? "" },
  };
}

export function secretValues(secrets: Secrets): string[] {
  const odooSecret = secrets.odoo.kind === "api_key" ? secrets.odoo.apiKey : secrets.odoo.password;
  return [secrets.mgmtPassword, secrets.bootstrapPassword, odooSecret].filter((value) => value.length > 0);
}

/** Extra addresses allowed to use the router's API, from a comma-separated environment variable. */
export function readExtraAllowedMgmtIps(env: Environment): string[] {
  const entries = (env[ENV.extraAllowedMgmtIps] ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  entries.forEach((entry, index) => {
    if (parseCidr(entry) === undefined) {
      throw new ConfigError(`${ENV.extraAllowedMgmtIps}[${index}]: "${entry}" is not an IPv4 address or network`);
    }
  });
  return entries;
}
