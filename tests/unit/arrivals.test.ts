import { describe, expect, it } from 'vitest';
import { gapCv, percentile, poissonSchedule } from '../../bench/load/arrivals.ts';

describe('load driver arrivals', () => {
  it('spreads arrivals as a Poisson process at the asked rate', () => {
    const times = [...poissonSchedule(1500, 10_000)];
    expect(times.length).toBeGreaterThan(14_000);
    expect(times.length).toBeLessThan(16_000);
    // Poisson gaps are exponential: coefficient of variation ~1 (a fixed beat gives 0).
    expect(gapCv(times)).toBeGreaterThan(0.9);
    expect(gapCv(times)).toBeLessThan(1.1);
    // No burst where everything fires at once: at most a few arrivals share a millisecond.
    const perMs = new Map<number, number>();
    for (const t of times) perMs.set(Math.floor(t), (perMs.get(Math.floor(t)) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeLessThan(12);
  });

  it('computes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
  });
});
