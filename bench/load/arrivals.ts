// Open-loop arrivals: a Poisson process at `rate` per second. Each arrival is
// scheduled in advance and its latency is measured from the scheduled time,
// so a slow server cannot slow the load down (no coordinated omission).
export function* poissonSchedule(
  rate: number,
  durationMs: number,
  random: () => number = Math.random,
): Generator<number> {
  let t = 0;
  for (;;) {
    t += (-Math.log(1 - random()) / rate) * 1000;
    if (t >= durationMs) return;
    yield t;
  }
}

/** Coefficient of variation of inter-arrival gaps: ~1 for Poisson, ~0 for a fixed beat. */
export function gapCv(times: number[]): number {
  if (times.length < 3) return NaN;
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
  return sd / mean;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** p50 and p99 of unsorted samples, rounded to 0.01 (the benchmarks' ms figures). */
export function p50p99(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)) };
}
