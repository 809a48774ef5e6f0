/** Helpers for the attribute words inside a sentence (`=name=value`, `.tag=x`). */

/** Splits `=name=value` into its parts; the value may be empty or contain `=`. */
export function parseAttributeWord(word: string): [name: string, value: string] | undefined {
  if (!word.startsWith("=")) return undefined;
  const separator = word.indexOf("=", 1);
  if (separator === -1) return [word.slice(1), ""];
  return [word.slice(1, separator), word.slice(separator + 1)];
}

export function attributeWord(name: string, value: string): string {
  return `=${name}=${value}`;
}

export const TAG_PREFIX = ".tag=";
