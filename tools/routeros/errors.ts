/** Every failure the RouterOS toolkit raises extends this class, so callers can catch one type. */
export class RouterOsError extends Error {
  override name = "RouterOsError";
}

/** The byte stream broke the API framing (control byte, oversized word, bad length). */
export class RouterOsProtocolError extends RouterOsError {
  override name = "RouterOsProtocolError";
}

/** The router refused a command with `!trap`; `category` follows RouterOS's numbering (0–7). */
export class RouterOsTrapError extends RouterOsError {
  override name = "RouterOsTrapError";
  readonly category: number | undefined;

  constructor(message: string, category?: number) {
    super(message);
    this.category = category;
  }
}

/** The router sent `!fatal` and closed the connection. */
export class RouterOsFatalError extends RouterOsError {
  override name = "RouterOsFatalError";
}

/** The router rejected the user name or password. */
export class RouterOsLoginError extends RouterOsError {
  override name = "RouterOsLoginError";
}

/** Connecting or a command took longer than its configured limit. */
export class RouterOsTimeoutError extends RouterOsError {
  override name = "RouterOsTimeoutError";
}

/** The TCP/TLS connection could not be opened, failed, or was closed. */
export class RouterOsConnectionError extends RouterOsError {
  override name = "RouterOsConnectionError";
}
