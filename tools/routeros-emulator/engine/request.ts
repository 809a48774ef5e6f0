import { parseAttributeWord, TAG_PREFIX } from "../../routeros/words.ts";

/** One API sentence from a client, split into its parts. */
export interface Request {
  /** The full command word, e.g. `/ip/address/print`. */
  command: string;
  /** `=name=value` words, in order, without `.proplist`. */
  args: Map<string, string>;
  /** `?...` words. */
  query: string[];
  proplist: string[] | undefined;
  tag: string | undefined;
}

export function parseRequest(words: readonly string[]): Request {
  const [command = "", ...rest] = words;
  const request: Request = { command, args: new Map(), query: [], proplist: undefined, tag: undefined };
  for (const word of rest) {
    if (word.startsWith(TAG_PREFIX)) request.tag = word.slice(TAG_PREFIX.length);
    else if (word.startsWith("?")) request.query.push(word);
    else {
      const attribute = parseAttributeWord(word);
      if (!attribute) continue;
      const [name, value] = attribute;
      if (name === ".proplist") request.proplist = value === "" ? [] : value.split(",");
      else request.args.set(name, value);
    }
  }
  return request;
}
