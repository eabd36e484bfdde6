// Static product and store pages are files on disk, served before any Astro
// code runs. The gate keeps a small, frequently refreshed set of the slugs and
// handles that must no longer be served (archived, hidden or draft products,
// products and stores of suspended sellers) and answers those paths with a
// 410 before the file is read. If the database is unreachable the last known
// set stays in force and the static pages keep serving.
//
// It also keeps the slugs and handles of products and stores changed after the
// build (updatedAt > builtAt, from build-info.json): those are 'live' and the
// server renders them on demand (/live/p/..., /live/s/...) instead of serving
// the stale file, so a seller's edits show without a rebuild. A product is
// also live when one of its reviews changed (rating and list), and a store
// when one of its products or their reviews did (grid, rating, review count).
//
// Old handles of renamed stores (StoreHandleAlias) redirect: redirectFor()
// gives the store's current path, so /s/{old} never serves the old page.
//
// Each refresh also tells onChanged() the ids and slugs of products edited
// (or reviewed) since the previous one, or that left or rejoined the shop, so
// the server can drop its cached API answers for them (catalog/api-cache.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db.ts';
import type { ProductStatus } from '../../../generated/prisma/client.ts';

export interface CatalogGate {
  /**
   * 'gone' when the path is a product or store page that must not be served,
   * 'live' when its page changed after the build and must be rendered on demand.
   */
  check(pathname: string): 'gone' | 'live' | null;
  /** The current store path (`/s/{handle}`) when the path is an old handle of a renamed store, else null. */
  redirectFor(pathname: string): string | null;
  refresh(): Promise<void>;
  /** False while the last refresh failed (the database is unreachable): pages that need it should not be tried. */
  readonly reachable: boolean;
  start(): void;
  stop(): void;
  readonly size: number;
}

const PRODUCT_PATH = /^\/p\/([^/]+)\/?$/;
/** Every product status but ACTIVE (an IN list can use the status index; `<> 'ACTIVE'` cannot). */
const NOT_ON_SALE = Object.keys({
  DRAFT: true,
  ARCHIVED: true,
  HIDDEN: true,
} satisfies Record<Exclude<ProductStatus, 'ACTIVE'>, true>) as ProductStatus[];
const STORE_PATH = /^\/s\/([^/]+)\/?$/;

export function createCatalogGate(
  db: Db,
  opts: {
    intervalMs?: number;
    log?: (msg: string) => void;
    builtAt?: Date;
    /** Ids and slugs of products whose public data changed since the last refresh. */
    onChanged?: (keys: string[]) => void;
  } = {},
): CatalogGate {
  const intervalMs = opts.intervalMs ?? 2_000;
  const log = opts.log ?? ((m: string) => console.warn(`[catalog-gate] ${m}`));
  let products = new Set<string>();
  /** Ids and slugs of the products in `products`, to tell onChanged() who left or came back. */
  let goneKeys = new Set<string>();
  /** Start of the last successful refresh, less a second for clock skew between hosts. */
  let since: Date | undefined;
  let stores = new Set<string>();
  let liveProducts = new Set<string>();
  let liveStores = new Set<string>();
  let aliases = new Map<string, string>();
  const builtAt = opts.builtAt;
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  /**
   * Products whose page data changed after `after`: edited, or one of their reviews was. Two
   * index range scans (Product.updatedAt, Review.updatedAt) rather than one OR across the join,
   * which PostgreSQL can only answer by scanning every product (80 ms at 10,000, every 2 s).
   */
  async function changedProducts(after: Date) {
    const changed = { updatedAt: { gt: after } };
    const select = { id: true, slug: true, sellerId: true } as const;
    const [edited, reviewed] = await Promise.all([
      db.product.findMany({ where: changed, select }),
      db.review.findMany({ where: changed, select: { product: { select } } }),
    ]);
    return [...edited, ...reviewed.map((r) => r.product)];
  }

  async function refresh(): Promise<void> {
    const started = Date.now();
    try {
      const [off, suspended, closedStores, renamed, live, edited] = await Promise.all([
        // Not on sale: by status (index on status), or because the seller is not active.
        db.product.findMany({ where: { status: { in: NOT_ON_SALE } }, select: { id: true, slug: true } }),
        db.product.findMany({
          where: { status: 'ACTIVE', seller: { status: { not: 'ACTIVE' } } },
          select: { id: true, slug: true },
        }),
        db.profile.findMany({
          where: { handle: { not: null }, user: { OR: [{ status: { not: 'ACTIVE' } }, { role: { not: 'SELLER' } }] } },
          select: { handle: true },
        }),
        db.storeHandleAlias.findMany({
          where: { profile: { handle: { not: null } } },
          select: { handle: true, profile: { select: { handle: true } } },
        }),
        builtAt ? changedProducts(builtAt) : [],
        since && opts.onChanged ? changedProducts(since) : [],
      ]);
      // A store page lists its products and its rating from their reviews: live when one changed.
      const liveStoreRows = builtAt
        ? await db.profile.findMany({
            where: {
              handle: { not: null },
              OR: [{ updatedAt: { gt: builtAt } }, { userId: { in: [...new Set(live.map((p) => p.sellerId))] } }],
            },
            select: { handle: true },
          })
        : [];
      const gone = [...off, ...suspended];
      const nowGone = new Set(gone.flatMap((r) => [r.id, r.slug]));
      // The first refresh only learns the state: nothing cached can predate it.
      if (opts.onChanged && since) {
        const keys = new Set(edited.flatMap((r) => [r.id, r.slug]));
        for (const k of nowGone) if (!goneKeys.has(k)) keys.add(k);
        for (const k of goneKeys) if (!nowGone.has(k)) keys.add(k);
        if (keys.size > 0) opts.onChanged([...keys]);
      }
      goneKeys = nowGone;
      since = new Date(started - 1_000);
      products = new Set(gone.map((r) => r.slug));
      stores = new Set(closedStores.map((r) => r.handle!));
      liveProducts = new Set(live.map((r) => r.slug));
      liveStores = new Set(liveStoreRows.map((r) => r.handle!));
      aliases = new Map(renamed.map((r) => [r.handle, r.profile.handle!]));
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
      if (p) {
        const slug = decode(p[1]!);
        return products.has(slug) ? 'gone' : liveProducts.has(slug) ? 'live' : null;
      }
      const s = STORE_PATH.exec(pathname);
      if (s) {
        const handle = decode(s[1]!);
        return stores.has(handle) ? 'gone' : liveStores.has(handle) ? 'live' : null;
      }
      return null;
    },
    redirectFor(pathname) {
      const s = STORE_PATH.exec(pathname);
      if (!s) return null;
      const to = aliases.get(decode(s[1]!));
      return to ? `/s/${to}` : null;
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
    get reachable() {
      return !failing;
    },
    get size() {
      return products.size + stores.size + aliases.size;
    },
  };
}

/** The build's time from <outDir>/client/build-info.json; undefined (no live routing) if missing. */
export function readBuiltAt(outDir: string): Date | undefined {
  try {
    const { builtAt } = JSON.parse(readFileSync(join(outDir, 'client/build-info.json'), 'utf8')) as {
      builtAt?: string;
    };
    const d = new Date(builtAt ?? '');
    return Number.isNaN(d.getTime()) ? undefined : d;
  } catch {
    return undefined;
  }
}
