// Geometry for the dashboard's 30-day sales chart, rendered as plain SVG on the
// server: no chart library reaches the browser.
export interface ChartBar {
  date: string;
  sales: number;
  orders: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SalesChart {
  width: number;
  height: number;
  bars: ChartBar[];
  /** The largest day's sales (minor units), the top of the scale. */
  max: number;
  total: number;
  best: { date: string; sales: number } | null;
}

export function layoutSalesChart(
  daily: { date: string; sales: number; orders: number }[],
  opts: { width?: number; height?: number; gap?: number } = {},
): SalesChart {
  const width = opts.width ?? 600;
  const height = opts.height ?? 160;
  const gap = opts.gap ?? 2;
  const max = Math.max(0, ...daily.map((d) => d.sales));
  const slot = daily.length > 0 ? width / daily.length : width;
  const bars = daily.map((d, i) => {
    // A day with sales is always at least 2 units tall, so small days stay visible.
    const h = max === 0 || d.sales === 0 ? 0 : Math.max(2, Math.round((d.sales / max) * (height - 4)));
    return {
      ...d,
      x: Math.round(i * slot * 100) / 100,
      y: height - h,
      width: Math.max(1, Math.round((slot - gap) * 100) / 100),
      height: h,
    };
  });
  const best = daily.reduce<{ date: string; sales: number } | null>(
    (b, d) => (d.sales > 0 && (!b || d.sales > b.sales) ? { date: d.date, sales: d.sales } : b),
    null,
  );
  return { width, height, bars, max, total: daily.reduce((s, d) => s + d.sales, 0), best };
}
