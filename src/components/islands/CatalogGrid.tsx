// The browse/search grid: filters that live in the URL, a responsive
// multi-column grid virtualized by rows (the DOM holds only what is near the
// viewport), more results as you scroll, and scroll position kept across back
// navigation. When the API cannot answer, it falls back to the catalog
// snapshot written at build time and says so.
//
// Scrolling is kept cheap (60 FPS on a throttled phone, `npm run bench:grid`):
// - every row has the same height, computed from the column width and one
//   measured card (the card CSS makes every card the same height), so rows
//   are never measured one by one and never move once placed;
// - the virtualizer re-renders only the feed (not the filters) and only when
//   the range of rows changes; rows and cards are memoized, so a new row
//   renders its own cards and nothing else;
// - the cards' buttons (add to cart, watch) share one watchlist load through
//   the $watchlist store and render live in their first render.
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type MutableRefObject,
} from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { effectiveSort, readFilters, toSearchParams, type CatalogFilters } from '../../lib/shared/catalog-url.ts';
import { cartProductOf } from '../../lib/shared/cart-rules.ts';
import { imageSrcset, imageUrl } from '../../lib/shared/images.ts';
import { formatKES } from '../../lib/shared/money.ts';
import type { ProductCard } from '../../lib/shared/types.ts';
import CardActions from './CardActions.tsx';

interface Option {
  value: string;
  label: string;
}

interface Props {
  /** Filters fixed by the page itself (e.g. the category of /c/jewellery). */
  fixed?: Pick<CatalogFilters, 'category' | 'seller'>;
  /** First page rendered by the server (at build time, or on demand for /search?...): crawlable HTML before any JS runs. */
  initialItems?: ProductCard[];
  /** The filters initialItems answer, when not just `fixed` (a filtered /search rendered on demand). */
  initialFilters?: CatalogFilters;
  initialCursor?: string | null;
  categories: Option[];
  locations: string[];
  /** Build-time snapshot to fall back to: /snapshot/catalog.json or a category's file. */
  snapshotUrl: string;
}

type Source = 'live' | 'snapshot';
interface Saved {
  items: ProductCard[];
  nextCursor: string | null;
  source: Source;
  /** The first item in view, restored by index. */
  anchor: number;
}

/** Products per API page: fewer, larger requests while scrolling fast (the API allows 100). */
const PAGE = 48;
const MIN_CARD = 220;
const GAP = 14;
/** First guess of a card's height below its square image, in rem; corrected by measuring one card. */
const INFO_REM = 9.5;
/** Rows rendered beyond the viewport on each side. */
const OVERSCAN = 1;
/** Ask for the next page when the last rendered row is this close to the end. */
const NEAR_END_ROWS = 8;
const STATIC_SIZES = '(min-width: 1100px) 260px, (min-width: 700px) 30vw, 46vw';
const SORT_LABELS: Record<string, string> = {
  relevance: 'Best match',
  newest: 'Newest',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  rating: 'Top rated',
};

function sameFilters(a: CatalogFilters, b: CatalogFilters): boolean {
  return toSearchParams(a).toString() === toSearchParams(b).toString();
}

/** The snapshot answers the same filters client-side (keywords match words, no ranking). */
function filterSnapshot(items: ProductCard[], f: CatalogFilters): ProductCard[] {
  const words = (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const out = items.filter((p) => {
    if (f.category && p.category.slug !== f.category) return false;
    if (f.seller && p.seller.handle !== f.seller) return false;
    if (f.minPrice !== undefined && p.price < f.minPrice * 100) return false;
    if (f.maxPrice !== undefined && p.price > f.maxPrice * 100) return false;
    if (f.location && p.seller.location?.toLowerCase() !== f.location.toLowerCase()) return false;
    if (f.inStock && p.stock <= 0) return false;
    const text = `${p.title} ${p.category.name} ${p.seller.name}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const sort = effectiveSort(f);
  if (sort === 'price_asc') out.sort((a, b) => a.price - b.price);
  if (sort === 'price_desc') out.sort((a, b) => b.price - a.price);
  if (sort === 'rating') out.sort((a, b) => (b.rating.average ?? 0) - (a.rating.average ?? 0));
  return out;
}

interface CardProps {
  p: ProductCard;
  index: number;
  total: number;
  /**
   * Rendered in the browser (a virtualized row), not in server HTML: the image
   * box shows the image's dominant colour until the image arrives (set
   * through the DOM, which the CSP allows; style attributes in HTML it does
   * not), instead of the blurred LQIP, and the image loads at once (the row is
   * already near the viewport) rather than through the lazy-load observer.
   */
  live: boolean;
  sizes: string;
}

/** One product card; the same markup in the server HTML and in the virtualized rows. */
const Card = memo(function Card({ p, index, total, live, sizes }: CardProps) {
  const img = p.image;
  return (
    <article className="card" aria-posinset={index + 1} aria-setsize={total} aria-labelledby={`gc-${p.id}`}>
      <a href={`/p/${p.slug}`} className="card-link">
        {img ? (
          <span className="pimg" style={live ? { backgroundColor: img.dominantColor } : undefined}>
            {!live && (
              <img
                className="pimg-lqip"
                src={img.lqip}
                alt=""
                aria-hidden="true"
                width={img.width}
                height={img.height}
              />
            )}
            {/* WebP only: small images decode fastest as WebP, and one element instead of a <picture> of three. */}
            <img
              src={imageUrl(img, 480, 'jpeg')}
              srcSet={imageSrcset(img, 'webp')}
              sizes={sizes}
              alt={img.alt}
              width={img.width}
              height={img.height}
              // The first row is the largest thing on a phone's first screen: fetch it at once.
              loading={live || index < 4 ? 'eager' : 'lazy'}
              fetchPriority={index < 2 ? 'high' : 'auto'}
              decoding="async"
            />
          </span>
        ) : (
          <span className="pimg pimg-empty" aria-hidden="true" />
        )}
        <h3 className="card-title" id={`gc-${p.id}`}>
          {p.title}
        </h3>
      </a>
      <p className="card-seller">
        {p.seller.name}
        {p.seller.location ? ` · ${p.seller.location}` : ''}
      </p>
      <p className="card-meta">
        <span className="price">{formatKES(p.price)}</span>
        {p.rating.count > 0 && (
          <span
            className="rating"
            role="img"
            aria-label={`Rated ${p.rating.average} out of 5 from ${p.rating.count} reviews`}
          >
            ★ {p.rating.average} <small>({p.rating.count})</small>
          </span>
        )}
      </p>
      {p.stock === 0 && <p className="stock-out">Sold out</p>}
      <CardActions product={cartProductOf(p)} />
    </article>
  );
});

interface RowProps {
  items: ProductCard[];
  index: number;
  cols: number;
  top: number;
  height: number;
  total: number;
  sizes: string;
}

function sameRow(a: RowProps, b: RowProps): boolean {
  if (a.index !== b.index || a.cols !== b.cols || a.top !== b.top || a.height !== b.height) return false;
  if (a.total !== b.total || a.sizes !== b.sizes) return false;
  const first = a.index * a.cols;
  for (let i = first; i < first + a.cols; i++) if (a.items[i] !== b.items[i]) return false;
  return true;
}

/** A positioned row of cards; re-rendered only when its own cards or geometry change. */
const Row = memo(function Row({ items, index, cols, top, height, total, sizes }: RowProps) {
  const first = index * cols;
  return (
    <div
      data-index={index}
      className="grid-row"
      style={{
        transform: `translateY(${top}px)`,
        height,
        gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
        gap: GAP,
        paddingBottom: GAP,
      }}
    >
      {items.slice(first, first + cols).map((p, i) => (
        <Card key={p.id} p={p} index={first + i} total={total} live sizes={sizes} />
      ))}
    </div>
  );
}, sameRow);

interface FeedProps {
  items: ProductCard[];
  total: number;
  loading: boolean;
  source: Source;
  /** Called when the shopper nears the end of what is loaded (stable). */
  onNearEnd: () => void;
  /** A saved first-in-view index to scroll back to, consumed once. */
  restore: MutableRefObject<number | null>;
  /** Filled with a function that tells the first item in view (for the saved state). */
  anchor: MutableRefObject<() => number>;
}

/** The feed: the virtualizer lives here, so scrolling re-renders this and not the filters. */
function Feed({ items, total, loading, source, onNearEnd, restore, anchor }: FeedProps) {
  const listRef = useRef<HTMLDivElement>(null);
  // The server (and hydration) render a plain CSS grid: the page's CSP does not
  // allow style attributes in HTML, so positioned rows are only created in the
  // browser, where React sets their styles through the DOM (which CSP allows).
  // The server's grid stays until the shopper scrolls or the list changes: a
  // first page needs no virtualizing, and re-creating its images in rows at
  // hydration paints them again, which made the page's Largest Contentful
  // Paint wait for all of the grid's JavaScript (tests/e2e/phone-pages.spec.ts).
  const [mounted, setMounted] = useState(false);
  const serverItems = useRef(items);
  useEffect(() => {
    if (mounted) return;
    if (items !== serverItems.current || window.scrollY > 0) return setMounted(true);
    const mount = () => setMounted(true);
    window.addEventListener('scroll', mount, { once: true, passive: true });
    return () => window.removeEventListener('scroll', mount);
  }, [items, mounted]);
  // The list's distance from the top of the document. Measured after layout and
  // whenever the page above it changes height (header islands, filters), so
  // rows are never positioned against a stale offset.
  const [scrollMargin, setScrollMargin] = useState(0);
  const [width, setWidth] = useState(0);
  // A card's height below its image; every card has the same (see global.css, .vgrid).
  const [infoPx, setInfoPx] = useState(INFO_REM * 16);

  useLayoutEffect(() => {
    const measure = () => {
      const el = listRef.current;
      if (el) setScrollMargin(Math.round(el.getBoundingClientRect().top + window.scrollY));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(document.body);
    return () => ro.disconnect();
  }, []);

  // Columns follow the list's width.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    setInfoPx(INFO_REM * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16));
    const ro = new ResizeObserver(([entry]) => setWidth(entry?.contentRect.width ?? el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const cols = Math.max(2, Math.min(5, Math.floor((width + GAP) / (MIN_CARD + GAP))));
  const colWidth = width > 0 ? (width - GAP * (cols - 1)) / cols : 0;
  const rowHeight = colWidth + infoPx + GAP;
  const rowCount = Math.ceil(items.length / cols);
  const virtualizer = useWindowVirtualizer({
    count: rowCount,
    // Exact, not an estimate: rows are not measured.
    estimateSize: () => (colWidth > 0 ? rowHeight : 400),
    overscan: OVERSCAN,
    scrollMargin,
    // Server render (build time): lay out the first rows so the HTML has real cards.
    initialRect: { width: 1200, height: 1600 },
    // A new range renders with the next frame's work, not inside the scroll event.
    useFlushSync: false,
  });

  // Row geometry changed (width, font size): drop the positions computed with the old height.
  useLayoutEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  // One card tells the real height below the image (fonts, zoom, a changed stylesheet):
  // read once per column width, before paint, instead of measuring every row.
  const hasRows = mounted && items.length > 0 && colWidth > 0;
  useLayoutEffect(() => {
    if (!hasRows) return;
    const card = listRef.current?.querySelector<HTMLElement>('.grid-row > article');
    if (!card) return;
    const r = card.getBoundingClientRect();
    const info = r.height - r.width;
    if (info > 0 && Math.abs(info - infoPx) > 0.5) setInfoPx(info);
  }, [hasRows, colWidth, infoPx]);

  const colsRef = useRef(cols);
  colsRef.current = cols;
  useEffect(() => {
    anchor.current = () => {
      const top = virtualizer.getVirtualItemForOffset(window.scrollY + 80);
      return top ? top.index * colsRef.current : 0;
    };
  }, [anchor, virtualizer]);

  useEffect(() => {
    // Restore only once the positioned rows exist and the offset is measured.
    if (hasRows && restore.current !== null) {
      const target = restore.current;
      restore.current = null;
      // Again once the header islands above have settled (they can move the list).
      const align = () => virtualizer.scrollToIndex(Math.floor(target / colsRef.current), { align: 'start' });
      requestAnimationFrame(align);
      for (const ms of [120, 300, 600]) setTimeout(align, ms);
    }
  }, [hasRows, restore, virtualizer, scrollMargin]);

  // Load more when the last rendered row comes near the end.
  const virtualRows = virtualizer.getVirtualItems();
  const lastRow = virtualRows[virtualRows.length - 1]?.index ?? 0;
  useEffect(() => {
    if (mounted && !loading && lastRow >= rowCount - NEAR_END_ROWS) onNearEnd();
  }, [mounted, loading, lastRow, rowCount, onNearEnd]);

  const sizes = colWidth > 0 ? `${Math.ceil(colWidth)}px` : STATIC_SIZES;
  return (
    <div
      ref={listRef}
      role="feed"
      aria-busy={loading}
      aria-label="Products"
      data-testid="catalog-grid"
      data-source={source}
      data-count={items.length}
      className={mounted ? 'vgrid' : 'vgrid vgrid-static'}
      style={mounted ? { height: virtualizer.getTotalSize() } : undefined}
    >
      {mounted
        ? virtualRows.map((row) => (
            <Row
              key={row.key}
              items={items}
              index={row.index}
              cols={cols}
              top={row.start - scrollMargin}
              height={rowHeight}
              total={total}
              sizes={sizes}
            />
          ))
        : items.map((p, i) => <Card key={p.id} p={p} index={i} total={total} live={false} sizes={STATIC_SIZES} />)}
    </div>
  );
}

export default function CatalogGrid(props: Props) {
  const fixed = props.fixed ?? {};
  const [filters, setFilters] = useState<CatalogFilters>({ ...props.initialFilters, ...fixed });
  const [items, setItems] = useState<ProductCard[]>(props.initialItems ?? []);
  const [nextCursor, setNextCursor] = useState<string | null>(props.initialCursor ?? null);
  const [source, setSource] = useState<Source>('live');
  const [loading, setLoading] = useState(!props.initialItems);
  const [announce, setAnnounce] = useState('');
  const request = useRef(0);
  const inFlight = useRef(false);
  const restoreAnchor = useRef<number | null>(null);
  const anchorOf = useRef<() => number>(() => 0);

  const storageKey = () => `soko:grid:${location.pathname}${location.search}`;

  const fetchPage = useCallback(
    async (f: CatalogFilters, cursor: string | null, append: boolean) => {
      const id = ++request.current;
      inFlight.current = true;
      setLoading(true);
      try {
        const params = toSearchParams({ ...f, limit: PAGE, ...(cursor ? { cursor } : {}) });
        // Ahead of the card images queued on the same connections.
        const res = await fetch(`/api/products?${params}`, {
          headers: { Accept: 'application/json' },
          priority: 'high',
        });
        if (res.status === 400) throw Object.assign(new Error('bad query'), { permanent: true });
        if (!res.ok) throw new Error(String(res.status));
        const page = (await res.json()) as { items: ProductCard[]; nextCursor: string | null };
        if (id !== request.current) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
        setSource('live');
        setAnnounce(
          append
            ? `Loaded ${page.items.length} more products`
            : `${page.items.length}${page.nextCursor ? '+' : ''} products`,
        );
      } catch (err) {
        if (id !== request.current) return;
        if ((err as { permanent?: boolean }).permanent) {
          setItems([]);
          setNextCursor(null);
        } else {
          // The API is unreachable: answer from the build-time snapshot instead of an error.
          try {
            const snap = (await (await fetch(props.snapshotUrl)).json()) as { items: ProductCard[] };
            if (id !== request.current) return;
            setItems(filterSnapshot(snap.items, f));
            setNextCursor(null);
            setSource('snapshot');
          } catch {
            if (!append) setItems([]);
            setNextCursor(null);
            setSource('snapshot');
          }
        }
      } finally {
        if (id === request.current) {
          inFlight.current = false;
          setLoading(false);
        }
      }
    },
    [props.snapshotUrl],
  );

  // On load: the URL decides the filters; a back navigation restores the list and scroll position.
  useEffect(() => {
    history.scrollRestoration = 'manual';
    const fromUrl = { ...readFilters(new URLSearchParams(location.search)), ...fixed };
    setFilters(fromUrl);
    const saved = sessionStorage.getItem(storageKey());
    if (saved) {
      const s = JSON.parse(saved) as Saved;
      setItems(s.items);
      setNextCursor(s.nextCursor);
      setSource(s.source);
      setLoading(false);
      restoreAnchor.current = s.anchor;
    } else if (!props.initialItems || !sameFilters(fromUrl, { ...props.initialFilters, ...fixed })) {
      void fetchPage(fromUrl, null, false);
    }
    const onPop = () => {
      const f = { ...readFilters(new URLSearchParams(location.search)), ...fixed };
      setFilters(f);
      void fetchPage(f, null, false);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Remember the list when leaving, so Back lands where the shopper was.
  useEffect(() => {
    const save = () => {
      const s: Saved = { items, nextCursor, source, anchor: anchorOf.current() };
      try {
        sessionStorage.setItem(storageKey(), JSON.stringify(s));
      } catch {
        // Storage full or disabled: Back just reloads the first page.
      }
    };
    window.addEventListener('pagehide', save);
    return () => window.removeEventListener('pagehide', save);
  }, [items, nextCursor, source]);

  // The feed asks for more; what to ask for is read at that moment.
  const latest = useRef({ filters, nextCursor });
  latest.current = { filters, nextCursor };
  const onNearEnd = useCallback(() => {
    const { filters: f, nextCursor: cursor } = latest.current;
    if (cursor && !inFlight.current) void fetchPage(f, cursor, true);
  }, [fetchPage]);

  const apply = (f: CatalogFilters) => {
    const next = { ...f, ...fixed };
    setFilters(next);
    const params = toSearchParams({
      ...next,
      category: props.fixed?.category ? undefined : next.category,
      seller: props.fixed?.seller ? undefined : next.seller,
    });
    history.pushState(null, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    window.scrollTo(0, 0);
    void fetchPage(next, null, false);
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const params = new URLSearchParams();
    for (const [k, v] of form) if (typeof v === 'string' && v !== '') params.set(k, v);
    apply(readFilters(params));
  };

  const sort = effectiveSort(filters);
  return (
    <div className="catalog">
      <form
        className="filters"
        role="search"
        aria-label="Filter products"
        onSubmit={onSubmit}
        key={toSearchParams(filters).toString()}
      >
        <label>
          <span>Keyword</span>
          <input name="q" type="search" defaultValue={filters.q ?? ''} maxLength={100} />
        </label>
        {!props.fixed?.category && (
          <label>
            <span>Category</span>
            <select name="category" defaultValue={filters.category ?? ''}>
              <option value="">All categories</option>
              {props.categories.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span>Min KES</span>
          <input
            name="minPrice"
            type="number"
            min={0}
            step={100}
            inputMode="numeric"
            defaultValue={filters.minPrice ?? ''}
          />
        </label>
        <label>
          <span>Max KES</span>
          <input
            name="maxPrice"
            type="number"
            min={0}
            step={100}
            inputMode="numeric"
            defaultValue={filters.maxPrice ?? ''}
          />
        </label>
        <label>
          <span>Location</span>
          <select name="location" defaultValue={filters.location ?? ''}>
            <option value="">All of Nairobi</option>
            {props.locations.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Sort</span>
          <select name="sort" defaultValue={sort}>
            {Object.entries(SORT_LABELS)
              .filter(([v]) => v !== 'relevance' || filters.q)
              .map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
          </select>
        </label>
        <label className="check">
          <input name="inStock" type="checkbox" value="true" defaultChecked={!!filters.inStock} />{' '}
          <span>In stock only</span>
        </label>
        <button type="submit" className="btn">
          Apply
        </button>
      </form>

      {source === 'snapshot' && (
        <p className="offline-note" role="status" data-testid="snapshot-note">
          Showing a saved copy of the catalog; live prices and stock will return shortly.
        </p>
      )}
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
      {!loading && items.length === 0 && <p className="muted">No products match these filters.</p>}
      {/* Cards are h3s: the page's h1 is above, and heading levels must not skip. */}
      <h2 className="sr-only">Products</h2>

      <Feed
        items={items}
        total={nextCursor ? -1 : items.length}
        loading={loading}
        source={source}
        onNearEnd={onNearEnd}
        restore={restoreAnchor}
        anchor={anchorOf}
      />
      {loading && <p className="muted loading">Loading…</p>}
    </div>
  );
}
