// Open-loop load driver: `users` keep-alive connections held open, requests
// arriving as a Poisson process at `rate` per second overall on a weighted
// mix of routes. Latency is measured from each request's scheduled time.
// Usage (see bench/load/run.ts for the full benchmark):
//   node --import tsx bench/load/driver.ts --url http://127.0.0.1:4321 --rate 1500 --users 1500 --seconds 30
import { parseArgs } from 'node:util';
import { Client } from 'undici';
import { gapCv, percentile, poissonSchedule } from './arrivals.ts';

export interface RouteSpec {
  name: string;
  weight: number;
  /** Builds one request: path, and optionally method/body/headers. */
  make(): { path: string; method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> };
  /** Statuses that count as success (default: 200 and 304). */
  ok?: (status: number) => boolean;
}

export interface RouteResult {
  name: string;
  count: number;
  errors: number;
  statuses: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  rate: number;
  users: number;
  seconds: number;
  sent: number;
  /** Gap CV of the planned schedule (~1 = Poisson) and of the actual send times (event-loop jitter adds to it). */
  scheduleGapCv: number;
  arrivalGapCv: number;
  maxLagMs: number;
  routes: RouteResult[];
  overall: Omit<RouteResult, 'name' | 'statuses'>;
  /** The warm-up before the measured window (a cold start when the server was just started). */
  warmup: { seconds: number; errors: number; routes: Omit<RouteResult, 'statuses' | 'errors'>[] } & Omit<
    RouteResult,
    'name' | 'statuses' | 'errors'
  >;
  /** One entry per second of the schedule, warm-up included. */
  timeline: { count: number; p50: number; p99: number; max: number }[];
}

export async function runLoad(opts: {
  url: string;
  rate: number;
  users: number;
  seconds: number;
  routes: RouteSpec[];
  timeoutMs?: number;
  /** Seconds of the same load before the measured `seconds`, on the same connections. */
  warmupSeconds?: number;
}): Promise<LoadResult> {
  const origin = new URL(opts.url).origin;
  const clients = Array.from(
    { length: opts.users },
    () =>
      new Client(origin, {
        pipelining: 1,
        connections: 1,
        keepAliveTimeout: 60_000,
        bodyTimeout: opts.timeoutMs ?? 10_000,
        headersTimeout: opts.timeoutMs ?? 10_000,
      } as never),
  );
  // Open every connection first: the users are all there before the clock starts.
  await Promise.all(
    clients.map((c) =>
      c.request({ path: '/api/health', method: 'HEAD' }).then(
        (r) => r.body.dump(),
        () => {},
      ),
    ),
  );

  const total = opts.routes.reduce((s, r) => s + r.weight, 0);
  const pick = () => {
    let x = Math.random() * total;
    for (const r of opts.routes) if ((x -= r.weight) <= 0) return r;
    return opts.routes[opts.routes.length - 1]!;
  };
  const lat = new Map<string, number[]>(opts.routes.map((r) => [r.name, []]));
  const errors = new Map<string, number>();
  const statuses = new Map<string, Record<string, number>>(opts.routes.map((r) => [r.name, {}]));
  // Warm-up arrivals come first on the same connections and are reported apart.
  const warmupMs = (opts.warmupSeconds ?? 0) * 1000;
  const schedule = [...poissonSchedule(opts.rate, warmupMs + opts.seconds * 1000)];
  const warm = new Map<string, number[]>(opts.routes.map((r) => [r.name, []]));
  let warmErrors = 0;
  const sentAt: number[] = [];
  /** Latencies by the second they were planned in: shows warm-up and stalls that percentiles hide. */
  const bySecond: number[][] = [];
  let maxLag = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let i = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now() - start;
      while (i < schedule.length && schedule[i]! <= now) {
        const due = schedule[i]!;
        const measured = due >= warmupMs;
        if (measured) {
          maxLag = Math.max(maxLag, now - due);
          sentAt.push(now);
        }
        const route = pick();
        const client = clients[Math.floor(Math.random() * clients.length)]!;
        const req = route.make();
        inflight.push(
          client
            .request({
              path: req.path,
              method: req.method ?? 'GET',
              body: req.body,
              headers: { accept: '*/*', ...req.headers },
            })
            .then(async (res) => {
              await res.body.dump();
              const good = route.ok ? route.ok(res.statusCode) : res.statusCode === 200 || res.statusCode === 304;
              if (!measured) {
                if (!good) warmErrors++;
                return;
              }
              const s = statuses.get(route.name)!;
              s[res.statusCode] = (s[res.statusCode] ?? 0) + 1;
              if (!good) errors.set(route.name, (errors.get(route.name) ?? 0) + 1);
            })
            .catch((err: Error) => {
              if (!measured) {
                warmErrors++;
                return;
              }
              const s = statuses.get(route.name)!;
              s[err.name] = (s[err.name] ?? 0) + 1;
              errors.set(route.name, (errors.get(route.name) ?? 0) + 1);
            })
            .finally(() => {
              const ms = performance.now() - start - due;
              (measured ? lat : warm).get(route.name)!.push(ms);
              (bySecond[Math.floor(due / 1000)] ??= []).push(ms);
            }),
        );
        i++;
      }
      // Sleep until the next arrival instead of spinning (setImmediate would keep a core busy, and on a
      // shared host that core is taken from the server being measured). Timers fire at 1 ms granularity;
      // latency counts from each request's planned time, so that delay is measured, not hidden.
      if (i < schedule.length) setTimeout(tick, Math.max(0, schedule[i]! - (performance.now() - start) - 0.5));
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  await Promise.all(clients.map((c) => c.close().catch(() => {})));

  const summarize = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      count: s.length,
      p50: percentile(s, 50),
      p95: percentile(s, 95),
      p99: percentile(s, 99),
      max: s[s.length - 1] ?? NaN,
    };
  };
  const routes = opts.routes.map((r) => ({
    name: r.name,
    ...summarize(lat.get(r.name)!),
    errors: errors.get(r.name) ?? 0,
    statuses: statuses.get(r.name)!,
  }));
  const all = [...lat.values()].flat();
  return {
    rate: opts.rate,
    users: opts.users,
    seconds: opts.seconds,
    sent: sentAt.length,
    scheduleGapCv: gapCv(schedule),
    arrivalGapCv: gapCv(sentAt),
    maxLagMs: maxLag,
    routes,
    overall: { ...summarize(all), errors: [...errors.values()].reduce((s, n) => s + n, 0) },
    warmup: {
      seconds: warmupMs / 1000,
      ...summarize([...warm.values()].flat()),
      errors: warmErrors,
      // Which routes a cold start hurts.
      routes: opts.routes.map((r) => ({ name: r.name, ...summarize(warm.get(r.name)!) })),
    },
    timeline: Array.from(bySecond, (xs = []) => {
      const { count, p50, p99, max } = summarize(xs);
      return { count, p50: Math.round(p50 * 10) / 10, p99: Math.round(p99 * 10) / 10, max: Math.round(max) };
    }),
  };
}

if (process.argv[1]?.endsWith('driver.ts')) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:4321' },
      rate: { type: 'string', default: '200' },
      users: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '10' },
      path: { type: 'string', default: '/' },
    },
  });
  const result = await runLoad({
    url: values.url!,
    rate: Number(values.rate),
    users: Number(values.users),
    seconds: Number(values.seconds),
    routes: [{ name: values.path!, weight: 1, make: () => ({ path: values.path! }) }],
  });
  console.log(JSON.stringify(result, null, 2));
}
