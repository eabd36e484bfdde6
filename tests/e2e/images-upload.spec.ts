// Image uploads over HTTP: who may upload, what is accepted, and that a
// served image loses its GPS position.
import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { ACCOUNTS, signIn } from './support/auth.ts';

async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 180, g: 120, b: 60 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo' },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '1/1 17/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '36/1 49/1 0/1' },
    })
    .toBuffer();
}

test('a seller uploads, re-orders, labels and deletes images of their own product; others cannot', async ({
  request,
  playwright,
  baseURL,
}) => {
  const seller = await signIn(request, ACCOUNTS.seller);
  const other = await signIn(request, ACCOUNTS.otherSeller);
  const buyer = await signIn(request, ACCOUNTS.buyer);
  const search = await request.get(`/api/products?seller=amani-gold&limit=1`);
  const productId = ((await search.json()) as { items: { id: string }[] }).items[0]!.id;
  const url = `/api/products/${productId}/images`;
  const file = { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto() };
  // Multipart is a form content type: the origin check (CSRF) wants a same-origin Origin, as browsers send.
  const origin = new URL(search.url()).origin;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}`, Origin: origin });
  const crossSite = await request.post(url, {
    multipart: { file },
    headers: { ...auth(seller.token), Origin: 'https://evil.example' },
  });
  expect(crossSite.status()).toBe(403);

  // A fresh context: `request` keeps the cookies of the sign-ins above.
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.post(url, { multipart: { file }, headers: { Origin: origin } })).status()).toBe(401);
  await anonymous.dispose();
  expect((await request.post(url, { multipart: { file }, headers: auth(buyer.token) })).status()).toBe(403);
  expect((await request.post(url, { multipart: { file }, headers: auth(other.token) })).status()).toBe(403);

  const svg = {
    name: 'logo.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
  };
  const refused = await request.post(url, { multipart: { file: svg }, headers: auth(seller.token) });
  expect(refused.status()).toBe(415);
  expect((await refused.json()).error.code).toBeDefined();
  // Over the 10 MB limit through the real server (the Node adapter's own body limit is 1 GB).
  const huge = {
    name: 'huge.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(11 * 1024 * 1024)]),
  };
  const tooBig = await request.post(url, {
    multipart: { file: huge, alt: 'Far too big' },
    headers: auth(seller.token),
  });
  expect(tooBig.status()).toBe(413);
  expect((await tooBig.json()).error.code).toBe('PAYLOAD_TOO_LARGE');

  const created = await request.post(url, {
    multipart: { file, alt: 'The ring on a wooden tray' },
    headers: auth(seller.token),
  });
  expect(created.status()).toBe(201);
  const { image } = (await created.json()) as { image: { id: string; contentHash: string; lqip: string; alt: string } };
  expect(image.alt).toBe('The ring on a wooden tray');
  expect(image.lqip).toMatch(/^data:image\//);

  // Served without the phone's GPS position.
  const served = await request.get(`/api/images/${image.id}?w=320&f=jpeg`);
  expect(served.status()).toBe(200);
  const meta = await sharp(await served.body()).metadata();
  expect(meta.exif).toBeUndefined();

  const list = ((await (await request.get(url)).json()) as { images: { id: string }[] }).images.map((i) => i.id);
  const reversed = [...list].reverse();
  const reorder = await request.put(`${url}/order`, { data: { imageIds: reversed }, headers: auth(seller.token) });
  expect(reorder.status()).toBe(200);
  expect(((await reorder.json()) as { images: { id: string }[] }).images.map((i) => i.id)).toEqual(reversed);
  expect(
    (await request.put(`${url}/order`, { data: { imageIds: reversed }, headers: auth(other.token) })).status(),
  ).toBe(403);

  const alt = await request.patch(`${url}/${image.id}`, {
    data: { alt: 'Close-up of the ring' },
    headers: auth(seller.token),
  });
  expect(((await alt.json()) as { image: { alt: string } }).image.alt).toBe('Close-up of the ring');
  expect((await request.delete(`${url}/${image.id}`, { headers: auth(other.token) })).status()).toBe(403);
  expect((await request.delete(`${url}/${image.id}`, { headers: auth(seller.token) })).status()).toBe(204);
  expect((await request.get(`/api/images/${image.id}?w=320`)).status()).toBe(404);
});
