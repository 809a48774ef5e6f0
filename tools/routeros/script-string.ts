/** A value as a double-quoted RouterOS string, in a script or an `.rsc` export. */
export function scriptString(value: string): string {
  const escaped = value.replace(/[\\"$?\n\r\t]/g, (character) => {
    switch (character) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\${character}`;
    }
  });
  return `"${escaped}"`;
}
