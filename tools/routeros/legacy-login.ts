import { createHash } from "node:crypto";

/**
 * The response to the pre-6.43 challenge login: "00" followed by the hex MD5 of a zero byte,
 * the password, and the challenge bytes.
 */
export function legacyLoginResponse(password: string, challengeHex: string): string {
  const digest = createHash("md5")
    .update(Buffer.from([0]))
    .update(Buffer.from(password, "utf8"))
    .update(Buffer.from(challengeHex, "hex"))
    .digest("hex");
  return `00${digest}`;
}
