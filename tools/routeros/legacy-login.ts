import { createHash } from "node:crypto";

/**
 * The response to the pre-6.43 challenge login: "00" followed by the hex MD5 of a zero byte,
 * the password (its UTF-8 bytes when given as text), and the challenge bytes.
 */
export function legacyLoginResponse(password: string | Buffer, challengeHex: string): string {
  const digest = createHash("md5")
    .update(Buffer.from([0]))
    .update(typeof password === "string" ? Buffer.from(password, "utf8") : password)
    .update(Buffer.from(challengeHex, "hex"))
    .digest("hex");
  return `00${digest}`;
}
