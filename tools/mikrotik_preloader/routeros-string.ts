/** A value written as a double-quoted RouterOS string, in a script or in a pasted `.rsc`. */
export function routerOsString(value: string): string {
  const escaped = value.replace(/[\\"$?\n\r\t]/g, (char) => {
    switch (char) {
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\${char}`;
    }
  });
  return `"${escaped}"`;
}
