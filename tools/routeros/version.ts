/** RouterOS versions are dotted numbers ("7.19.6"); `/system/resource` prints them with a channel ("7.19.6 (stable)"). */
function compareVersions(left: string, right: string): number {
  const a = left.split(".").map(Number);
  const b = right.split(".").map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function versionAtLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

export function isValidVersion(version: string): boolean {
  return /^\d+(\.\d+){1,2}$/.test(version);
}

/** "7.19.6 (stable)" → "7.19.6"; undefined when the text holds no version. */
export function parseVersion(printed: string): string | undefined {
  return /^\d+(\.\d+){1,2}/.exec(printed.trim())?.[0];
}
