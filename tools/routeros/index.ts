export { RouterOsClient, type CommandOptions, type CommandResult, type ConnectOptions } from "./client.ts";
export type { TlsOptions } from "./connection.ts";
export { encodeLength, encodeSentence, encodeSentences, SentenceDecoder, DEFAULT_MAX_WORD_BYTES, type Sentence } from "./codec.ts";
export {
  RouterOsError,
  RouterOsProtocolError,
  RouterOsTrapError,
  RouterOsFatalError,
  RouterOsLoginError,
  RouterOsTimeoutError,
  RouterOsConnectionError,
} from "./errors.ts";
export { legacyLoginResponse } from "./legacy-login.ts";
export { parseAttributeWord, attributeWord } from "./words.ts";
export { scriptString } from "./script-string.ts";
export { formatIpv4, parseIpv4 } from "./ipv4.ts";
