import { formatIpv4, parseIpv4 } from "../../routeros/index.ts";

/**
 * The first address of a pool's `ranges` ("10.0.0.10-10.0.0.99,10.0.0.200") that is not in use,
 * or undefined when the pool is exhausted.
 */
export function firstFreeAddress(ranges: string, used: ReadonlySet<string>): string | undefined {
  for (const range of ranges.split(",")) {
    const [first = "", last = first] = range.trim().split("-");
    const start = parseIpv4(first);
    const end = parseIpv4(last);
    if (start === undefined || end === undefined) continue;
    for (let value = start; value <= end; value++) {
      const candidate = formatIpv4(value);
      if (!used.has(candidate)) return candidate;
    }
  }
  return undefined;
}
