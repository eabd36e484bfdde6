// How AVIF effort trades time for bytes on this machine, from the 12 MP bench
// source as uploaded (4000x3000 JPEG) and as the endpoint really sees it after
// upload normalization (2560 px longest side). Median of 3 per cell.
//
//   node --import tsx bench/images/avif-effort.ts
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { normalizeImage } from '../../src/lib/server/images/normalize.ts';
import { avifEffort, avifOptions } from '../../src/lib/server/images/variants.ts';
import type { ImageWidth } from '../../src/lib/shared/images.ts';
import { ensureSources } from './sources.ts';

const [photo] = await ensureSources('.data/bench/sources');
const raw = readFileSync(photo!.file);
const normalized = (await normalizeImage(raw)).data;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log('| source | width | effort | median ms | bytes | chosen |');
console.log('|---|---|---|---|---|---|');
for (const [label, source] of [
  ['12 MP JPEG 4000×3000', raw],
  ['normalized 2560×1920', normalized],
] as const) {
  for (const width of [640, 960, 1280, 1920] as ImageWidth[]) {
    for (const effort of [0, 1, 2, 3, 4]) {
      if (effort === 4 && width >= 1280) continue; // several seconds a run: out of the question
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const out = await sharp(source).rotate().resize({ width }).avif({ ...avifOptions(width), effort }).toBuffer();
        times.push(performance.now() - t);
        bytes = out.length;
      }
      const chosen = avifEffort(width) === effort ? '✓' : '';
      console.log(
        `| ${label} | ${width} | ${effort} | ${median(times).toFixed(0)} | ${bytes.toLocaleString('en')} | ${chosen} |`,
      );
    }
  }
}
