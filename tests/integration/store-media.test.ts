// Store logo and banner, renamed store handles, and store pages that follow
// reviews: on both engines, with real sharp and a real folder of originals.
import { rmSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/db.ts';
import { makeProduct, makeUser } from '../helpers/fixtures.ts';
import { formRequest, pngBomb, solid, tempDir, uploadRequest } from '../helpers/image-fixtures.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { createCatalogGate } from '../../src/lib/server/http/catalog-gate.ts';
import { FolderStorage } from '../../src/lib/server/images/storage.ts';
import { clearImageMemoryCaches, serveImage, type VariantStore } from '../../src/lib/server/images/variants.ts';
import { removeStoreImage, setStoreImage, uploadStoreImage } from '../../src/lib/server/stores/store-images.ts';
import { loadStorePage } from '../../src/lib/server/stores/store-page.ts';
import {
  getStoreProfile,
  MAX_HANDLE_ALIASES,
  resolveHandleAlias,
  updateStoreProfile,
} from '../../src/lib/server/stores/store-profile.ts';
import { submitReview } from '../../src/lib/server/reviews/reviews.ts';
import { storePatchSchema } from '../../src/lib/shared/stores.ts';
import type { Db } from '../../src/lib/server/db.ts';

async function appError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const handleOf = async (db: Db, userId: string) =>
  (await db.profile.findUniqueOrThrow({ where: { userId }, select: { handle: true } })).handle!;

describeEachEngine('store logo and banner', (ctx) => {
  let store: VariantStore;
  const logoBytes = () => solid(400, 400, '#aa6633').png().toBuffer();
  const bannerBytes = () => solid(1920, 480, '#335577').jpeg().toBuffer();

  beforeAll(() => {
    store = { storage: new FolderStorage(tempDir('store-uploads')), cacheDir: tempDir('store-cache') };
  });
  afterAll(() => rmSync(store.cacheDir, { recursive: true, force: true }));

  it('uploads a logo and a banner, shows them on the profile and serves them through the image endpoint', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const before = (await db.profile.findUniqueOrThrow({ where: { userId: seller.id } })).updatedAt;
    await new Promise((r) => setTimeout(r, 5));
    const logo = await uploadStoreImage(
      db,
      store.storage,
      seller.id,
      'logo',
      await uploadRequest(await logoBytes(), { alt: null }),
    );
    const banner = await uploadStoreImage(
      db,
      store.storage,
      seller.id,
      'banner',
      await uploadRequest(await bannerBytes(), { alt: null, name: 'banner.jpg' }),
    );
    expect(logo).toMatchObject({ width: 400, height: 400 });
    expect(banner).toMatchObject({ width: 1920, height: 480 });
    expect(banner.lqip).toMatch(/^data:image\/webp;base64,/);
    expect(banner.lqip.length).toBeLessThan(1024);

    const profile = await getStoreProfile(db, seller.id);
    expect(profile.logo?.id).toBe(logo.id);
    expect(profile.banner?.id).toBe(banner.id);
    // The profile changed: the catalog gate routes its page live.
    expect(new Date(profile.updatedAt).getTime()).toBeGreaterThan(before.getTime());

    const row = await db.storeImage.findUniqueOrThrow({ where: { id: logo.id } });
    expect(row).toMatchObject({ sellerId: seller.id, kind: 'LOGO' });
    // Its own key prefix: deleting a store image can never take a product photo's bytes.
    expect(row.sourceKey).toBe(`stores/${row.contentHash.slice(0, 2)}/${row.contentHash}.jpg`);
    expect(await store.storage.get(row.sourceKey)).not.toBeNull();

    const res = await serveImage(
      db,
      banner.id,
      new URL(`http://t/api/images/${banner.id}?w=640&f=webp&v=${banner.contentHash.slice(0, 12)}`),
      new Headers(),
      store,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([640, 160]);
  });

  it('replaces the old image (row and bytes) and removes it idempotently', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const first = await setStoreImage(
      db,
      store.storage,
      seller.id,
      'logo',
      await solid(250, 250, '#7a1f5c').png().toBuffer(),
    );
    const firstKey = (await db.storeImage.findUniqueOrThrow({ where: { id: first.id } })).sourceKey;
    const second = await setStoreImage(
      db,
      store.storage,
      seller.id,
      'logo',
      await solid(300, 300, '#116611').jpeg().toBuffer(),
    );
    expect(second.id).not.toBe(first.id);
    expect(await db.storeImage.findUnique({ where: { id: first.id } })).toBeNull();
    expect(await store.storage.get(firstKey)).toBeNull();
    expect((await getStoreProfile(db, seller.id)).logo?.id).toBe(second.id);
    // The old URL stops working at once in this process.
    clearImageMemoryCaches();
    const gone = await serveImage(db, first.id, new URL(`http://t/?w=160&f=jpeg`), new Headers(), store).catch(
      (e: unknown) => e,
    );
    expect(gone).toMatchObject({ status: 404 });

    // Another seller with the same bytes shares the stored original: removing one keeps it for the other.
    const other = await makeUser(db, 'SELLER');
    const shared = await setStoreImage(
      db,
      store.storage,
      other.id,
      'logo',
      await solid(300, 300, '#116611').jpeg().toBuffer(),
    );
    expect(shared.contentHash).toBe(second.contentHash);
    const secondKey = (await db.storeImage.findUniqueOrThrow({ where: { id: second.id } })).sourceKey;
    await removeStoreImage(db, store.storage, seller.id, 'logo');
    expect(await store.storage.get(secondKey)).not.toBeNull();
    expect((await getStoreProfile(db, seller.id)).logo).toBeNull();
    await removeStoreImage(db, store.storage, seller.id, 'logo'); // nothing left: still fine
    await removeStoreImage(db, store.storage, other.id, 'logo');
    expect(await store.storage.get(secondKey)).toBeNull();
    // The banner was never touched.
    expect(await db.storeImage.count({ where: { sellerId: { in: [seller.id, other.id] } } })).toBe(0);
  });

  it('concurrent uploads leave exactly one current logo and no orphaned rows', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const colours = ['#110000', '#001100', '#000011', '#111100'];
    const results = await Promise.all(
      colours.map(async (c) =>
        setStoreImage(db, store.storage, seller.id, 'logo', await solid(200, 200, c).jpeg().toBuffer()),
      ),
    );
    const rows = await db.storeImage.findMany({ where: { sellerId: seller.id } });
    expect(rows).toHaveLength(1);
    expect(results.map((r) => r.id)).toContain(rows[0]!.id);
    expect((await getStoreProfile(db, seller.id)).logo?.id).toBe(rows[0]!.id);
  });

  it('refuses bad uploads with the same checks as product photos, and images of the wrong size', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const cases: [() => Promise<unknown>, number, RegExp][] = [
      [
        async () =>
          uploadStoreImage(
            db,
            store.storage,
            seller.id,
            'logo',
            await uploadRequest(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), {
              alt: null,
              name: 'logo.jpg',
            }),
          ),
        415,
        /JPEG, PNG, WebP or AVIF/,
      ],
      [
        async () =>
          uploadStoreImage(
            db,
            store.storage,
            seller.id,
            'logo',
            await uploadRequest(pngBomb(), { alt: null, type: 'image/png' }),
          ),
        413,
        /megapixels/,
      ],
      [
        async () =>
          uploadStoreImage(
            db,
            store.storage,
            seller.id,
            'logo',
            await uploadRequest(await logoBytes(), { alt: 'My logo' }),
          ),
        400,
        /Unknown field: alt/,
      ],
      [
        async () => uploadStoreImage(db, store.storage, seller.id, 'logo', await uploadRequest(null, { alt: null })),
        400,
        /Missing file/,
      ],
      [
        async () => uploadStoreImage(db, store.storage, seller.id, 'logo', await formRequest(new FormData())),
        400,
        /Missing file/,
      ],
      [
        async () => setStoreImage(db, store.storage, seller.id, 'logo', await solid(48, 48).jpeg().toBuffer()),
        400,
        /at least 96 x 96/,
      ],
      [
        async () => setStoreImage(db, store.storage, seller.id, 'logo', await solid(600, 200).jpeg().toBuffer()),
        400,
        /roughly square/,
      ],
      [
        async () => setStoreImage(db, store.storage, seller.id, 'banner', await solid(800, 300).jpeg().toBuffer()),
        400,
        /at least 960 x 160/,
      ],
      [
        async () => setStoreImage(db, store.storage, seller.id, 'banner', await solid(1000, 1000).jpeg().toBuffer()),
        400,
        /landscape/,
      ],
    ];
    for (const [p, status, message] of cases) {
      const err = await appError(p());
      expect([err.status, err.message], err.message).toEqual([status, expect.stringMatching(message)]);
    }
    // Size problems name the field for the editor.
    const small = await appError(
      setStoreImage(db, store.storage, seller.id, 'logo', await solid(48, 48).jpeg().toBuffer()),
    );
    expect(small.details).toMatchObject({ issues: [{ path: 'file' }] });
    expect(await db.storeImage.count({ where: { sellerId: seller.id } })).toBe(0);
    expect((await getStoreProfile(db, seller.id)).logo).toBeNull();
  });

  it('a seller without a store profile row cannot upload', async () => {
    const { db } = ctx();
    const bare = await db.user.create({
      data: { email: `bare-${Date.now()}@example.com`, name: 'Bare', role: 'SELLER', passwordHash: 'x' },
    });
    const err = await appError(setStoreImage(db, store.storage, bare.id, 'logo', await logoBytes()));
    expect(err.status).toBe(404);
  });
});

describeEachEngine('renamed store handles', (ctx) => {
  it('keeps the old handle as a redirect, reserved for the store', async () => {
    const { db } = ctx();
    const [a, b] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
    const old = await handleOf(db, a.id);
    const renamed = await updateStoreProfile(db, a.id, storePatchSchema.parse({ handle: `${old}-renamed` }));
    expect(renamed.handle).toBe(`${old}-renamed`);
    expect(await resolveHandleAlias(db, old)).toBe(`${old}-renamed`);
    expect(await resolveHandleAlias(db, `${old}-renamed`)).toBeNull();

    // Another store cannot claim the old handle (it would take over the redirect).
    const err = await appError(updateStoreProfile(db, b.id, storePatchSchema.parse({ handle: old })));
    expect(err).toMatchObject({ status: 409, details: { field: 'handle' } });
    expect(await handleOf(db, b.id)).not.toBe(old);

    // Renamed again: both old handles lead to the current one.
    await updateStoreProfile(db, a.id, { handle: `${old}-third` });
    expect(await resolveHandleAlias(db, old)).toBe(`${old}-third`);
    expect(await resolveHandleAlias(db, `${old}-renamed`)).toBe(`${old}-third`);

    // The store takes its first handle back: it serves again, the others redirect to it.
    await updateStoreProfile(db, a.id, { handle: old });
    expect(await resolveHandleAlias(db, old)).toBeNull();
    expect(await resolveHandleAlias(db, `${old}-third`)).toBe(old);
    const aliases = await db.storeHandleAlias.findMany({
      where: { profile: { userId: a.id } },
      orderBy: { handle: 'asc' },
    });
    expect(aliases.map((x) => x.handle)).toEqual([`${old}-renamed`, `${old}-third`]);

    // Saving the same handle, or other fields, records nothing.
    await updateStoreProfile(db, a.id, { handle: old, description: 'Same handle' });
    expect(await db.storeHandleAlias.count({ where: { profile: { userId: a.id } } })).toBe(2);

    // The store pages answer: the current handle renders, an old one redirects, an unknown one is missing.
    expect((await loadStorePage(db, old)).kind).toBe('page');
    expect(await loadStorePage(db, `${old}-third`)).toEqual({ kind: 'redirect', location: `/s/${old}` });
    expect((await loadStorePage(db, 'never-existed')).kind).toBe('missing');
    expect((await loadStorePage(db, '../etc')).kind).toBe('missing');
  });

  it(`keeps at most ${MAX_HANDLE_ALIASES} old handles per store`, async () => {
    const { db } = ctx();
    const a = await makeUser(db, 'SELLER');
    const base = await handleOf(db, a.id);
    for (let i = 1; i <= MAX_HANDLE_ALIASES; i++) await updateStoreProfile(db, a.id, { handle: `${base}-v${i}` });
    const err = await appError(updateStoreProfile(db, a.id, { handle: `${base}-too-many` }));
    expect(err).toMatchObject({ status: 409, details: { field: 'handle' } });
    expect(await handleOf(db, a.id)).toBe(`${base}-v${MAX_HANDLE_ALIASES}`);
    // Going back to an earlier handle is still allowed (it frees that alias).
    await updateStoreProfile(db, a.id, { handle: `${base}-v1` });
    expect(await handleOf(db, a.id)).toBe(`${base}-v1`);
  });

  it('a rename and another seller claiming the old handle at once never both win', async () => {
    const { db } = ctx();
    for (let round = 0; round < 3; round++) {
      const [a, b] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
      const old = await handleOf(db, a.id);
      await Promise.allSettled([
        updateStoreProfile(db, a.id, { handle: `${old}-new` }),
        updateStoreProfile(db, b.id, { handle: old }),
      ]);
      const alias = await db.storeHandleAlias.findUnique({ where: { handle: old } });
      const bHandle = await handleOf(db, b.id);
      const aHandle = await handleOf(db, a.id);
      // Exactly one of: A renamed (old handle reserved as A's alias, B refused), or B was refused because A held it.
      expect(bHandle === old && alias !== null).toBe(false);
      if (aHandle === `${old}-new`) expect(alias?.profileId).toBeDefined();
    }
  });

  it('the catalog gate redirects old handles and routes stores live when only a review changed', async () => {
    const { db } = ctx();
    const [renamed, reviewed, untouched] = [
      await makeUser(db, 'SELLER'),
      await makeUser(db, 'SELLER'),
      await makeUser(db, 'SELLER'),
    ];
    await makeProduct(db, untouched.id);
    const product = await makeProduct(db, reviewed.id);
    const buyer = await makeUser(db);
    const builtAt = new Date(
      (await db.product.findUniqueOrThrow({ where: { id: product.id } })).updatedAt.getTime() + 1,
    );
    await new Promise((r) => setTimeout(r, 5));
    const old = await handleOf(db, renamed.id);
    await updateStoreProfile(db, renamed.id, { handle: `${old}-moved` });
    // A delivered order makes the buyer eligible; the review touches neither the product nor the profile row.
    const order = await db.order.create({
      data: {
        number: `T-${Date.now()}`,
        reference: 'ref',
        buyerId: buyer.id,
        sellerId: reviewed.id,
        status: 'DELIVERED',
        subtotal: 1,
        total: 1,
        deliveryLocation: 'Karen',
        deliveryPhone: '+254712345678',
        items: { create: { productId: product.id, sellerId: reviewed.id, quantity: 1, unitPrice: 1, title: 'x' } },
      },
    });
    expect(order.status).toBe('DELIVERED');
    const productBefore = await db.product.findUniqueOrThrow({ where: { id: product.id } });
    const before = await loadStorePage(db, await handleOf(db, reviewed.id));
    expect(before.kind === 'page' && before.data.store.rating).toEqual({ average: null, count: 0 });
    await submitReview(db, buyer.id, product.id, { rating: 4, body: 'Fine work' });
    expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).updatedAt).toEqual(
      productBefore.updatedAt,
    );

    const gate = createCatalogGate(db, { builtAt });
    await gate.refresh();
    expect(gate.redirectFor(`/s/${old}`)).toBe(`/s/${old}-moved`);
    expect(gate.redirectFor(`/s/${old}/`)).toBe(`/s/${old}-moved`);
    expect(gate.redirectFor(`/s/${old}-moved`)).toBeNull();
    expect(gate.redirectFor(`/p/${old}`)).toBeNull();
    expect(gate.check(`/s/${old}-moved`)).toBe('live');
    expect(gate.check(`/s/${await handleOf(db, reviewed.id)}`)).toBe('live');
    expect(gate.check(`/p/${product.slug}`)).toBe('live');
    expect(gate.check(`/s/${await handleOf(db, untouched.id)}`)).toBeNull();
    // And the live page shows the new rating.
    const after = await loadStorePage(db, await handleOf(db, reviewed.id));
    expect(after.kind === 'page' && after.data.store.rating).toEqual({ average: 4, count: 1 });
  });
});
