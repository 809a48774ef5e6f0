import { randomBytes, timingSafeEqual } from "node:crypto";
import { legacyLoginResponse } from "../../routeros/legacy-login.ts";
import type { RouterState, Row } from "../engine/state.ts";
import { user } from "../menus/system.ts";

export const LOGIN_FAILED = "invalid user name or password (6)";

/** True when an enabled `/user` row has this name and password. */
export function checkPassword(state: RouterState, name: string, password: string): boolean {
  const row = findUser(state, name);
  return row !== undefined && equalText(row.values.password ?? "", password);
}

/** True when `response` answers the MD5 challenge for this user's password. */
export function checkChallengeResponse(state: RouterState, name: string, challenge: string, response: string): boolean {
  const row = findUser(state, name);
  return row !== undefined && equalText(legacyLoginResponse(Buffer.from(row.values.password ?? "", "latin1"), challenge), response);
}

export function newChallenge(): string {
  return randomBytes(16).toString("hex");
}

function findUser(state: RouterState, name: string): Row | undefined {
  const row = state.rowNamed(user.path, name);
  return row?.values.disabled === "true" ? undefined : row;
}

function equalText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
