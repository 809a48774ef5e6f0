/** Order statistics of the benchmarks' timings. */

/** The value below which `p` percent of `values` fall (nearest rank); 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
