// Benchmark sources, generated deterministically with sharp so every run (and
// every peer) sees the same bytes: one 12 MP photo-like image and a few
// typical seller photos (phone-sized, product-shot-like, a PNG with alpha).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';

export interface BenchSource {
  name: string;
  file: string;
  width: number;
  height: number;
  bytes: number;
}

/** Smooth gradients plus fine grain and a few soft shapes: compresses like a photo, not like a flat fill. */
async function photoLike(width: number, height: number, seed: number): Promise<Sharp> {
  // Low-frequency colour field: a tiny random image upscaled smoothly.
  const cells = Buffer.alloc(8 * 6 * 3);
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24) / 255;
  for (let i = 0; i < cells.length; i++) cells[i] = Math.round(40 + rand() * 180);
  const field = await sharp(cells, { raw: { width: 8, height: 6, channels: 3 } })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .raw()
    .toBuffer();
  // Sensor-like grain with some local structure (blurred noise), mixed in.
  const grain = Buffer.alloc(width * height);
  for (let i = 0; i < grain.length; i++) grain[i] = Math.round(rand() * 255);
  const texture = await sharp(grain, { raw: { width, height, channels: 1 } })
    .blur(1.2)
    .raw()
    .toBuffer();
  for (let i = 0, p = 0; i < field.length; i += 3, p++) {
    const t = (texture[p]! - 128) * 0.35;
    field[i] = Math.max(0, Math.min(255, field[i]! + t));
    field[i + 1] = Math.max(0, Math.min(255, field[i + 1]! + t));
    field[i + 2] = Math.max(0, Math.min(255, field[i + 2]! + t));
  }
  const shapes = Array.from({ length: 12 }, () => {
    const cx = Math.round(rand() * width);
    const cy = Math.round(rand() * height);
    const r = Math.round((0.03 + rand() * 0.12) * Math.min(width, height));
    const c = `rgb(${Math.round(rand() * 255)},${Math.round(rand() * 255)},${Math.round(rand() * 255)})`;
    return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${c}" fill-opacity="0.55"/>`;
  }).join('');
  const overlay = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes}</svg>`,
  );
  return sharp(field, { raw: { width, height, channels: 3 } }).composite([{ input: overlay, blend: 'soft-light' }]);
}

const SPECS = [
  { name: '12mp-photo', width: 4000, height: 3000, seed: 1, format: 'jpeg' as const },
  { name: 'phone-portrait', width: 1536, height: 2048, seed: 2, format: 'jpeg' as const },
  { name: 'product-square', width: 1200, height: 1200, seed: 3, format: 'jpeg' as const },
  { name: 'banner-png', width: 1600, height: 900, seed: 4, format: 'png' as const },
];

/** Writes the sources into `dir` (once; later runs reuse them) and describes them. */
export async function ensureSources(dir: string): Promise<BenchSource[]> {
  mkdirSync(dir, { recursive: true });
  const out: BenchSource[] = [];
  for (const spec of SPECS) {
    const file = join(dir, `${spec.name}.${spec.format === 'jpeg' ? 'jpg' : 'png'}`);
    if (!existsSync(file)) {
      const img = await photoLike(spec.width, spec.height, spec.seed);
      const data =
        spec.format === 'jpeg'
          ? await img.jpeg({ quality: 90 }).toBuffer()
          : await img.png({ compressionLevel: 6 }).toBuffer();
      writeFileSync(file, data);
    }
    out.push({ name: spec.name, file, width: spec.width, height: spec.height, bytes: readFileSync(file).length });
  }
  return out;
}
