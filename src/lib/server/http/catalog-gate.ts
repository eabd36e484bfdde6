// Static product and store pages are files on disk, served before any Astro
// code runs. The gate keeps a small, frequently refreshed set of the slugs and
// handles that must no longer be served (archived, hidden or draft products,
// products and stores of suspended sellers) and answers those paths with a
// 410 before the file is read. If the database is unreachable the last known
// set stays in force and the static pages keep serving.
import type { Db } from '../db.ts';

export interface CatalogGate {
  /** 'gone' when the path is a product or store page that must not be served. */
  check(pathname: string): 'gone' | null;
  refresh(): Promise<void>;
  start(): void;
  stop(): void;
  readonly size: number;
}

const PRODUCT_PATH = /^\/p\/([^/]+)\/?$/;
const STORE_PATH = /^\/s\/([^/]+)\/?$/;

export function createCatalogGate(
  db: Db,
  opts: { intervalMs?: number; log?: (msg: string) => void } = {},
): CatalogGate {
  const intervalMs = opts.intervalMs ?? 2_000;
  const log = opts.log ?? ((m: string) => console.warn(`[catalog-gate] ${m}`));
  let products = new Set<string>();
  let stores = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  async function refresh(): Promise<void> {
    try {
      const [p, s] = await Promise.all([
        db.product.findMany({
          where: { OR: [{ status: { not: 'ACTIVE' } }, { seller: { status: { not: 'ACTIVE' } } }] },
          select: { slug: true },
        }),
        db.profile.findMany({
          where: { handle: { not: null }, user: { OR: [{ status: { not: 'ACTIVE' } }, { role: { not: 'SELLER' } }] } },
          select: { handle: true },
        }),
      ]);
      products = new Set(p.map((r) => r.slug));
      stores = new Set(s.map((r) => r.handle!));
      if (failing) log('database reachable again');
      failing = false;
    } catch (err) {
      if (!failing)
        log(`refresh failed, keeping the last known set: ${(err as Error).message.trim().split('\n').pop()}`);
      failing = true;
    }
  }

  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };

  return {
    check(pathname) {
      const p = PRODUCT_PATH.exec(pathname);
      if (p && products.has(decode(p[1]!))) return 'gone';
      const s = STORE_PATH.exec(pathname);
      if (s && stores.has(decode(s[1]!))) return 'gone';
      return null;
    },
    refresh,
    start() {
      if (timer) return;
      void refresh();
      timer = setInterval(() => void refresh(), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    get size() {
      return products.size + stores.size;
    },
  };
}
