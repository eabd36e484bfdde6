import { describe, expect, it } from 'vitest';
import { layoutSalesChart } from '../../src/lib/shared/sales-chart.ts';

describe('layoutSalesChart', () => {
  it('scales bars to the best day and keeps small days visible', () => {
    const c = layoutSalesChart(
      [
        { date: '2026-01-01', sales: 0, orders: 0 },
        { date: '2026-01-02', sales: 100_000, orders: 2 },
        { date: '2026-01-03', sales: 100, orders: 1 },
      ],
      { width: 300, height: 104, gap: 0 },
    );
    expect(c.max).toBe(100_000);
    expect(c.total).toBe(100_100);
    expect(c.best).toEqual({ date: '2026-01-02', sales: 100_000 });
    expect(c.bars.map((b) => b.height)).toEqual([0, 100, 2]);
    expect(c.bars.map((b) => b.y)).toEqual([104, 4, 102]);
    expect(c.bars.map((b) => b.x)).toEqual([0, 100, 200]);
  });

  it('draws an empty month as no bars and no best day', () => {
    const c = layoutSalesChart([{ date: '2026-01-01', sales: 0, orders: 0 }]);
    expect(c.best).toBeNull();
    expect(c.bars[0]!.height).toBe(0);
  });
});
