/**
 * Exit codes and the failures that map to them. Each failure class carries its code, so the
 * CLI's last line of defence is a single lookup and the codes are spelled once.
 */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  config: 2,
  unreachable: 3,
  loginRefused: 4,
  conflict: 5,
  odoo: 6,
  verify: 7,
  notReady: 8,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** With --detailed-exitcode, a dry run exits as Terraform's plan does, for pipelines that
 * branch on pending changes; which failure it was is then read on stderr. */
export const DETAILED_EXIT_CODES = {
  noChanges: 0,
  failed: 1,
  changesPending: 2,
} as const satisfies Record<string, ExitCode>;

export class PreloaderError extends Error {
  readonly exitCode: ExitCode = EXIT_CODES.unexpected;
}

/** Bad YAML, an unknown or invalid key, a missing or malformed environment variable, a bad flag. */
export class ConfigError extends PreloaderError {
  override name = "ConfigError";
  override readonly exitCode = EXIT_CODES.config;
}

/** Nothing answered on the API port (or the router dropped the connection). */
export class UnreachableError extends PreloaderError {
  override name = "UnreachableError";
  override readonly exitCode = EXIT_CODES.unreachable;
}

/** A router answered but refused the bootstrap login. */
export class LoginRefusedError extends PreloaderError {
  override name = "LoginRefusedError";
  override readonly exitCode = EXIT_CODES.loginRefused;
}

/**
 * The router's state or Odoo's contradicts the config (a port in another bridge, a missing
 * interface, a lockout, a different onboarding token). Raised before anything is written.
 */
export class ConflictError extends PreloaderError {
  override name = "ConflictError";
  override readonly exitCode = EXIT_CODES.conflict;
}

/** Odoo's external API refused or failed a call. */
export class OdooError extends PreloaderError {
  override name = "OdooError";
  override readonly exitCode = EXIT_CODES.odoo;
}

/** The run finished but re-reading the router or Odoo still shows differences. */
export class VerifyError extends PreloaderError {
  override name = "VerifyError";
  override readonly exitCode = EXIT_CODES.verify;
}

/** Everything was written, but the router's own fetch of Odoo's readiness URL failed. */
export class NotReadyError extends PreloaderError {
  override name = "NotReadyError";
  override readonly exitCode = EXIT_CODES.notReady;
}
