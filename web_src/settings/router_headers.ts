import { DATABASE_HEADER, TOKEN_HEADER } from "../../tools/contract.ts";

// The HTTP headers a router sends with each lease, written the way RouterOS's
// `/tool fetch http-header-field=` takes them: "Name: value" pairs joined by commas.
export function routerHeaderField(token: string, database: string): string {
  return `${TOKEN_HEADER}: ${token},${DATABASE_HEADER}: ${database}`;
}

/** The same headers with the token hidden, for showing on screen. */
export function maskedHeaderField(token: string, database: string): string {
  return routerHeaderField(`${token.slice(0, 4)}${"•".repeat(8)}`, database);
}
