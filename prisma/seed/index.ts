// Seeds the demo catalog. Idempotent: rows are found by their natural keys
// (email, slug, handle) and only what is missing is created. Product images
// are rendered with sharp and stored exactly as seller uploads are
// (normalized original, content-addressed key, LQIP and dominant colour).
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import bcrypt from 'bcryptjs';
import type { Db } from '../../src/lib/server/db.ts';
import { contentKey, type BlobStorage } from '../../src/lib/server/images/storage.ts';
import { normalizeImage } from '../../src/lib/server/images/normalize.ts';
import { makePlaceholder } from '../../src/lib/server/images/placeholder.ts';
import { nextOrderNumber } from '../../src/lib/server/orders/number.ts';
import { ADMIN, BUYERS, CATEGORIES, REVIEW_LINES, SELLERS } from './data.ts';
import { renderProductShot } from './product-art.ts';

export interface SeedOptions {
  storage: BlobStorage;
  /** Folder for the rendered-image manifest, so repeated seeds skip rendering. */
  cacheDir: string;
  password: string;
  bcryptRounds: number;
  /** Total active products wanted; above the base catalog, generated variations are added. */
  products?: number;
  log?: (msg: string) => void;
}

export interface SeedResult {
  users: number;
  products: number;
  images: number;
  orders: number;
  reviews: number;
  created: number;
}

interface StoredImage {
  contentHash: string;
  width: number;
  height: number;
  lqip: string;
  dominantColor: string;
}

/** Deterministic pseudo-random numbers, so every seed run builds the same catalog. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slugify = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

class ImageMaker {
  private manifest: Record<string, StoredImage>;
  private readonly path: string;
  constructor(
    private readonly storage: BlobStorage,
    cacheDir: string,
  ) {
    this.path = join(cacheDir, 'seed-images.json');
    this.manifest = existsSync(this.path)
      ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, StoredImage>)
      : {};
  }

  async make(key: string, opts: Parameters<typeof renderProductShot>[0]): Promise<StoredImage> {
    const cached = this.manifest[key];
    if (cached && (await this.storage.get(contentKey(cached.contentHash)))) return cached;
    const raw = await renderProductShot(opts);
    const normal = await normalizeImage(raw);
    const ph = await makePlaceholder(normal.data);
    await this.storage.put(contentKey(normal.contentHash), normal.data);
    const stored = {
      contentHash: normal.contentHash,
      width: normal.width,
      height: normal.height,
      lqip: ph.lqip,
      dominantColor: ph.dominantColor,
    };
    this.manifest[key] = stored;
    return stored;
  }

  save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, JSON.stringify(this.manifest));
  }
}

/** Runs `fn` over items with at most `limit` in flight (sharp uses the libuv pool). */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

interface PlannedProduct {
  slug: string;
  title: string;
  description: string;
  price: number;
  stock: number;
  featured: boolean;
  categorySlug: string;
  sellerEmail: string;
  imageCount: number;
  artSeed: number;
  label: string;
  createdDaysAgo: number;
}

function planBaseCatalog(): PlannedProduct[] {
  const rand = rng(2026);
  const plan: PlannedProduct[] = [];
  CATEGORIES.forEach((cat, ci) => {
    const makers = SELLERS.filter((s) => s.categories.includes(cat.slug));
    cat.items.forEach(([title, description, price], ii) => {
      cat.finishes.forEach((finish, fi) => {
        const seller = makers[(ii + fi) % makers.length]!;
        const fullTitle = cat.slug === 'coffee-tea' ? `${title}, ${finish}` : `${finish} ${title}`;
        const factor = cat.slug === 'coffee-tea' ? [1, 1.9, 3.6][fi]! : 0.85 + rand() * 0.4;
        plan.push({
          slug: slugify(`${fullTitle}-${seller.handle}`),
          title: fullTitle,
          description: `${description} Finish: ${finish.toLowerCase()}. Made by ${seller.storeName} in ${seller.location}, Nairobi.`,
          price: Math.round((price * factor) / 50) * 50 * 100,
          stock: Math.floor(rand() * 25) + (rand() < 0.06 ? 0 : 1) - (rand() < 0.05 ? 1 : 0),
          featured: fi === 0 && ii < 2,
          categorySlug: cat.slug,
          sellerEmail: seller.email,
          imageCount: 2 + Math.floor(rand() * 3),
          artSeed: ci * 1000 + ii * 10 + fi,
          label: title.split(' ').slice(-2).join(' '),
          createdDaysAgo: Math.floor(rand() * 120),
        });
      });
    });
  });
  for (const p of plan) p.stock = Math.max(0, p.stock);
  return plan;
}

/** Extra products for benchmarks (`--products 10000`): variations that reuse a pool of images. */
function planExtra(base: PlannedProduct[], total: number): PlannedProduct[] {
  const extra: PlannedProduct[] = [];
  const rand = rng(77);
  for (let n = base.length; n < total; n++) {
    const b = base[n % base.length]!;
    const batch = Math.floor(n / base.length);
    extra.push({
      ...b,
      slug: `${b.slug}-b${batch}-${n}`,
      title: `${b.title} · Batch ${batch}`,
      price: Math.max(100, Math.round(b.price * (0.8 + rand() * 0.4))),
      stock: Math.floor(rand() * 40),
      featured: false,
      imageCount: 1,
      createdDaysAgo: Math.floor(rand() * 365),
    });
  }
  return extra;
}

export async function seedDatabase(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  let created = 0;
  const passwordHash = await bcrypt.hash(opts.password, opts.bcryptRounds);

  // Categories
  const categoryIds = new Map<string, string>();
  for (const [i, c] of CATEGORIES.entries()) {
    const row = await db.category.upsert({
      where: { slug: c.slug },
      create: { slug: c.slug, name: c.name, description: c.description, position: i },
      update: {},
    });
    categoryIds.set(c.slug, row.id);
  }

  // Users: admin, sellers with store profiles, buyers.
  const userIds = new Map<string, string>();
  const ensureUser = async (
    email: string,
    name: string,
    role: 'ADMIN' | 'SELLER' | 'BUYER',
    profile: Record<string, string | null>,
  ) => {
    const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
    if (existing) {
      userIds.set(email, existing.id);
      return;
    }
    const u = await db.user.create({
      data: { email, name, role, passwordHash, profile: { create: { displayName: name, ...profile } } },
      select: { id: true },
    });
    created++;
    userIds.set(email, u.id);
  };
  await ensureUser(ADMIN.email, ADMIN.name, 'ADMIN', {});
  for (const s of SELLERS) {
    await ensureUser(s.email, s.name, 'SELLER', {
      storeName: s.storeName,
      handle: s.handle,
      location: s.location,
      phone: s.phone,
      description: s.description,
    });
  }
  for (const b of BUYERS) await ensureUser(b.email, b.name, 'BUYER', { location: 'Westlands' });

  // Products and images
  const base = planBaseCatalog();
  const plan = opts.products && opts.products > base.length ? [...base, ...planExtra(base, opts.products)] : base;
  const existing = new Set((await db.product.findMany({ select: { slug: true } })).map((p) => p.slug));
  const missing = plan.filter((p) => !existing.has(p.slug));
  const images = new ImageMaker(opts.storage, opts.cacheDir);
  log(`${plan.length} products planned, ${missing.length} to create`);

  const now = Date.now();
  let imagesMade = 0;
  // Render images in parallel, write rows in order (PGlite has one connection).
  const CHUNK = 200;
  for (let start = 0; start < missing.length; start += CHUNK) {
    const chunk = missing.slice(start, start + CHUNK);
    const rendered = await mapLimit(chunk, 4, async (p) =>
      Promise.all(
        Array.from({ length: p.imageCount }, (_, v) =>
          images.make(`${p.artSeed}:${v}:${p.categorySlug}:${p.label}`, {
            seed: p.artSeed,
            category: p.categorySlug,
            label: p.label,
            variant: v,
          }),
        ),
      ),
    );
    await db.product.createMany({
      data: chunk.map((p) => ({
        slug: p.slug,
        title: p.title,
        description: p.description,
        price: p.price,
        stock: p.stock,
        featured: p.featured,
        status: 'ACTIVE' as const,
        categoryId: categoryIds.get(p.categorySlug)!,
        sellerId: userIds.get(p.sellerEmail)!,
        createdAt: new Date(now - p.createdDaysAgo * 86_400_000),
      })),
    });
    const ids = new Map(
      (
        await db.product.findMany({
          where: { slug: { in: chunk.map((p) => p.slug) } },
          select: { id: true, slug: true },
        })
      ).map((r) => [r.slug, r.id]),
    );
    await db.productImage.createMany({
      data: chunk.flatMap((p, i) =>
        rendered[i]!.map((img, position) => ({
          productId: ids.get(p.slug)!,
          sourceKey: contentKey(img.contentHash),
          contentHash: img.contentHash,
          width: img.width,
          height: img.height,
          lqip: img.lqip,
          dominantColor: img.dominantColor,
          alt: position === 0 ? p.title : `${p.title}, view ${position + 1}`,
          position,
        })),
      ),
    });
    imagesMade += rendered.reduce((n, r) => n + r.length, 0);
    created += chunk.length;
    log(`products ${Math.min(start + CHUNK, missing.length)}/${missing.length}`);
  }
  images.save();

  // Past orders and reviews, once: they make seller metrics non-zero.
  if ((await db.order.count()) === 0) {
    const made = await seedOrdersAndReviews(db, userIds);
    created += made;
  }

  // Fresh statistics for the planner: a bulk load leaves none until autovacuum's next pass, and
  // PGlite (and a PostgreSQL with autovacuum off, as on some CI hosts) never runs one. Without
  // them, search plans a scan of every product instead of the index.
  if (created > 0) await db.$executeRaw`ANALYZE`;

  const result: SeedResult = {
    users: await db.user.count(),
    products: await db.product.count(),
    images: await db.productImage.count(),
    orders: await db.order.count(),
    reviews: await db.review.count(),
    created,
  };
  log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(result)} (${imagesMade} images attached)`,
  );
  return result;
}

async function seedOrdersAndReviews(db: Db, userIds: Map<string, string>): Promise<number> {
  const rand = rng(99);
  // The base catalog only, never the benchmark variations.
  const products = await db.product.findMany({
    where: { status: 'ACTIVE', slug: { in: planBaseCatalog().map((p) => p.slug) } },
    select: { id: true, title: true, price: true, sellerId: true },
    orderBy: { slug: 'asc' },
  });
  const sellerIds = [...new Set(products.map((p) => p.sellerId))];
  const buyers = BUYERS.map((b) => userIds.get(b.email)!);
  const statuses = ['DELIVERED', 'DELIVERED', 'DELIVERED', 'SHIPPED', 'CONFIRMED', 'PENDING', 'CANCELLED'] as const;
  const locations = ['Westlands', 'Kilimani', 'Karen', 'Lavington', 'Kileleshwa', 'Runda'];
  let made = 0;
  const reviewed = new Set<string>();
  for (let n = 0; n < 90; n++) {
    const buyerId = buyers[n % buyers.length]!;
    // Each seller's first order is delivered and reviewed: no store starts with empty metrics.
    const opening = n < sellerIds.length;
    const pool = opening ? products.filter((p) => p.sellerId === sellerIds[n]) : products;
    const first = pool[Math.floor(rand() * pool.length)]!;
    // Sometimes two items from the same seller in one order.
    const sameSeller = products.filter((p) => p.sellerId === first.sellerId && p.id !== first.id);
    const items = [
      first,
      ...(rand() < 0.3 && sameSeller.length ? [sameSeller[Math.floor(rand() * sameSeller.length)]!] : []),
    ];
    const lines = items.map((p) => ({ p, quantity: 1 + Math.floor(rand() * 2) }));
    const subtotal = lines.reduce((s, l) => s + l.p.price * l.quantity, 0);
    const status = opening ? 'DELIVERED' : statuses[n % statuses.length]!;
    const createdAt = new Date(Date.now() - Math.floor(rand() * 28 + 1) * 86_400_000 - Math.floor(rand() * 86_400_000));
    await db.order.create({
      data: {
        number: await nextOrderNumber(db, createdAt),
        reference: `CHK-SEED-${String(n).padStart(4, '0')}`,
        buyerId,
        sellerId: first.sellerId,
        status,
        subtotal,
        total: subtotal,
        deliveryLocation: locations[n % locations.length]!,
        deliveryPhone: '+254712345678',
        createdAt,
        updatedAt: createdAt,
        items: {
          create: lines.map((l) => ({
            productId: l.p.id,
            sellerId: l.p.sellerId,
            quantity: l.quantity,
            unitPrice: l.p.price,
            title: l.p.title,
          })),
        },
      },
    });
    made++;
    if (status === 'DELIVERED') {
      for (const l of lines) {
        const key = `${l.p.id}:${buyerId}`;
        if (reviewed.has(key) || (!opening && rand() < 0.15)) continue;
        reviewed.add(key);
        const [rating, body] = REVIEW_LINES[Math.floor(rand() * REVIEW_LINES.length)]!;
        await db.review.create({
          data: {
            productId: l.p.id,
            authorId: buyerId,
            rating,
            body,
            createdAt: new Date(createdAt.getTime() + 3 * 86_400_000),
          },
        });
        made++;
      }
    }
  }
  return made;
}
