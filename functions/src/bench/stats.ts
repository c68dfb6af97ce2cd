/** Percentile of a sample (nearest rank), in the sample's unit. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/** p50/p99 of `run` over `queries`, `rounds` times after a warm-up, in ms: the bench's latency figure. */
export async function latency(queries: readonly string[], run: (q: string) => Promise<unknown>, rounds = 3, warmUp = 50) {
  for (const q of queries.slice(0, warmUp)) await run(q);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const started = performance.now();
      await run(q);
      samples.push(performance.now() - started);
    }
  }
  samples.sort((a, b) => a - b);
  return { p50: round(percentile(samples, 50), 3), p99: round(percentile(samples, 99), 3), n: samples.length };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function mb(bytes: number): number {
  return round(bytes / 1024 / 1024, 1);
}
