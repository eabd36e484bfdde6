// Synthetic "studio product shots" for seed data: no network, no stock photos,
// no licensing questions, and every product gets its own recognisable picture.
// Everything is one SVG rasterised by sharp (librsvg); gradients only, no SVG
// filters, because feGaussianBlur at 1200 px would blow the time budget.
import sharp from 'sharp';

const SIZE = 1200;
const FLOOR_Y = 950; // where products stand
const HORIZON_Y = 800; // where the backdrop sweep meets the floor
const LABEL_MAX = 28;

export interface ProductShotOptions {
  seed: number;
  category: string;
  label: string;
  /** 0..3: same product, different angle / light / colourway (gallery images). */
  variant: number;
}

// ---------------------------------------------------------------- helpers

type Rng = () => number;

/** Small, fast, well-distributed PRNG; Math.random would break determinism. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn (seed, category, variant) into independent RNG streams. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const range = (rng: Rng, min: number, max: number) => min + rng() * (max - min);

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}

/** One decimal is plenty at 1200 px and keeps the SVG small. */
const n = (v: number) => String(Math.round(v * 10) / 10);

interface Hsl {
  h: number;
  s: number;
  l: number;
}

const hsl = (h: number, s: number, l: number): Hsl => ({ h: ((h % 360) + 360) % 360, s, l });
const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const shade = (c: Hsl, dl: number, ds = 0): Hsl => hsl(c.h, clamp(c.s + ds, 0, 100), clamp(c.l + dl, 0, 100));

/** Hex rather than hsl(): librsvg's CSS colour support varies between builds. */
function hex(c: Hsl): string {
  const s = c.s / 100;
  const l = c.l / 100;
  const k = (m: number) => (m + c.h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const ch = (m: number) => {
    const v = l - a * Math.max(-1, Math.min(k(m) - 3, Math.min(9 - k(m), 1)));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${ch(0)}${ch(8)}${ch(4)}`;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Control characters are not even legal in XML 1.0; the SVG would fail to parse. */
function cleanLabel(label: string): string {
  const flat = label
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(flat); // by code point, so emoji are never split in half
  return chars.length > LABEL_MAX
    ? `${chars
        .slice(0, LABEL_MAX - 1)
        .join('')
        .trimEnd()}…`
    : flat;
}

/** Catmull-Rom through points as cubic Béziers: smooth vase/bottle profiles from a few points. */
function smoothThrough(pts: readonly [number, number][]): string {
  let d = '';
  for (let i = 0; i < pts.length - 1; i++) {
    const p0 = pts[Math.max(0, i - 1)]!;
    const p1 = pts[i]!;
    const p2 = pts[i + 1]!;
    const p3 = pts[Math.min(pts.length - 1, i + 2)]!;
    const c1x = p1[0] + (p2[0] - p0[0]) / 6;
    const c1y = p1[1] + (p2[1] - p0[1]) / 6;
    const c2x = p2[0] - (p3[0] - p1[0]) / 6;
    const c2y = p2[1] - (p3[1] - p1[1]) / 6;
    d += ` C${n(c1x)} ${n(c1y)} ${n(c2x)} ${n(c2y)} ${n(p2[0])} ${n(p2[1])}`;
  }
  return d;
}

/** Closed symmetric outline from the right-hand profile, listed bottom to top. */
function lathe(right: readonly [number, number][]): string {
  const left = [...right].reverse().map(([x, y]) => [-x, y] as [number, number]);
  const first = right[0]!;
  const top = left[0]!;
  return `M${n(-first[0])} ${n(first[1])} L${n(first[0])} ${n(first[1])}${smoothThrough(right)} L${n(top[0])} ${n(
    top[1],
  )}${smoothThrough(left)} Z`;
}

/** Collects <defs> and hands out unique ids while a scene is being built. */
class Scene {
  readonly defs: string[] = [];
  private next = 0;
  /** -1: light from the left, 1: from the right (flips with the variant). */
  constructor(readonly light: 1 | -1) {}

  id(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  /** Studio-lit fill: bright on the lit side, falling off across the object. */
  lit(c: Hsl, contrast = 16, vertical = false): string {
    const id = this.id('g');
    const [x1, x2] = this.light < 0 ? ['0', '1'] : ['1', '0'];
    const coords = vertical ? 'x1="0" y1="0" x2="0" y2="1"' : `x1="${x1}" y1="0" x2="${x2}" y2="0.35"`;
    this.defs.push(
      `<linearGradient id="${id}" ${coords}><stop offset="0" stop-color="${hex(shade(c, contrast))}"/>` +
        `<stop offset="0.45" stop-color="${hex(c)}"/><stop offset="1" stop-color="${hex(shade(c, -contrast))}"/></linearGradient>`,
    );
    return `url(#${id})`;
  }

  /** Metal: a bright band across the middle reads as polished. */
  metal(c: Hsl): string {
    const id = this.id('m');
    this.defs.push(
      `<linearGradient id="${id}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${hex(shade(c, -18))}"/>` +
        `<stop offset="0.42" stop-color="${hex(shade(c, 22))}"/><stop offset="0.55" stop-color="${hex(shade(c, 8))}"/>` +
        `<stop offset="1" stop-color="${hex(shade(c, -24))}"/></linearGradient>`,
    );
    return `url(#${id})`;
  }

  radial(stops: [number, string, number][]): string {
    const id = this.id('r');
    this.defs.push(
      `<radialGradient id="${id}">${stops
        .map(([o, c, a]) => `<stop offset="${o}" stop-color="${c}" stop-opacity="${a}"/>`)
        .join('')}</radialGradient>`,
    );
    return `url(#${id})`;
  }

  clip(shape: string): string {
    const id = this.id('c');
    this.defs.push(`<clipPath id="${id}">${shape}</clipPath>`);
    return `url(#${id})`;
  }
}

/** What a product renderer returns: markup around (0,0) = bottom centre, drawn upwards. */
interface Drawn {
  svg: string;
  width: number;
  height: number;
}

interface Ctx {
  scene: Scene;
  /** Product identity: same for every variant. */
  rng: Rng;
  /** The product's own colour: fixed across variants so the gallery shows one item. */
  main: Hsl;
  /** Secondary colours (prints, bands, shapes), rotated per variant: the "arrangement". */
  accents: Hsl[];
  variant: number;
}

const accent = (ctx: Ctx, i: number): Hsl => ctx.accents[i % ctx.accents.length]!;

// ---------------------------------------------------------------- products

const METALS: readonly Hsl[] = [hsl(45, 70, 52), hsl(210, 8, 72), hsl(14, 45, 66), hsl(40, 35, 40)];
const BEADS: readonly Hsl[] = [
  hsl(355, 78, 45), // Maasai red
  hsl(215, 70, 40),
  hsl(45, 90, 55),
  hsl(140, 55, 35),
  hsl(25, 90, 52),
  hsl(0, 0, 96),
  hsl(0, 0, 12),
];

function gem(ctx: Ctx, cx: number, cy: number, w: number, color: Hsl): string {
  const { scene } = ctx;
  const ch = w * 0.32;
  const ph = w * 0.62;
  const t = w * 0.28;
  const facets = `M${n(cx - t)} ${n(cy - ch)} L${n(cx)} ${n(cy + ph)} L${n(cx + t)} ${n(cy - ch)} M${n(cx - w / 2)} ${n(
    cy,
  )} L${n(cx + w / 2)} ${n(cy)} M${n(cx - t)} ${n(cy - ch)} L${n(cx - w / 4)} ${n(cy)} L${n(cx)} ${n(cy - ch)} L${n(
    cx + w / 4,
  )} ${n(cy)} L${n(cx + t)} ${n(cy - ch)}`;
  const s = w * 0.18;
  const sx = cx - ctx.scene.light * w * 0.18;
  const sy = cy - ch * 0.6;
  return (
    `<path d="M${n(cx - t)} ${n(cy - ch)} L${n(cx + t)} ${n(cy - ch)} L${n(cx + w / 2)} ${n(cy)} L${n(cx)} ${n(
      cy + ph,
    )} L${n(cx - w / 2)} ${n(cy)} Z" fill="${scene.lit(color, 22)}" stroke="${hex(shade(color, -22))}" stroke-width="2"/>` +
    `<path d="${facets}" fill="none" stroke="#ffffff" stroke-opacity="0.45" stroke-width="2"/>` +
    // four-point sparkle
    `<path d="M${n(sx)} ${n(sy - s)} L${n(sx + s * 0.18)} ${n(sy - s * 0.18)} L${n(sx + s)} ${n(sy)} L${n(
      sx + s * 0.18,
    )} ${n(sy + s * 0.18)} L${n(sx)} ${n(sy + s)} L${n(sx - s * 0.18)} ${n(sy + s * 0.18)} L${n(sx - s)} ${n(sy)} L${n(
      sx - s * 0.18,
    )} ${n(sy - s * 0.18)} Z" fill="#ffffff" fill-opacity="0.9"/>`
  );
}

function jewellery(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const metal = pick(rng, METALS);
  const stone = hsl(range(rng, 0, 360), range(rng, 60, 85), range(rng, 38, 55));
  const velvet = shade(ctx.main, -15, -10);

  if (rng() < 0.5) {
    // Ring standing in an open ring box.
    const r = range(rng, 130, 170);
    const bw = range(rng, 380, 440);
    const boxH = range(rng, 130, 160);
    const cushionY = -boxH - 20;
    const cy = cushionY - r * 0.72;
    const band = range(rng, 22, 36);
    const gw = range(rng, 80, 120);
    return {
      width: bw,
      height: -cy + r + gw,
      svg:
        // lid (behind), ring, cushion, box front
        `<rect x="${n(-bw / 2 + 10)}" y="${n(-boxH - 330)}" width="${n(bw - 20)}" height="330" rx="24" fill="${scene.lit(
          shade(velvet, -8),
        )}"/>` +
        `<rect x="${n(-bw / 2 + 34)}" y="${n(-boxH - 306)}" width="${n(bw - 68)}" height="290" rx="16" fill="${hex(
          shade(velvet, 10, -10),
        )}"/>` +
        `<ellipse cx="0" cy="${n(cy)}" rx="${n(r)}" ry="${n(r * 0.97)}" fill="none" stroke="${scene.metal(
          metal,
        )}" stroke-width="${n(band)}"/>` +
        `<ellipse cx="0" cy="${n(cy)}" rx="${n(r - band * 0.3)}" ry="${n(r * 0.97 - band * 0.3)}" fill="none" stroke="#ffffff" stroke-opacity="0.35" stroke-width="4"/>` +
        `<path d="M${n(-gw * 0.35)} ${n(cy - r + 4)} L${n(-gw * 0.2)} ${n(cy - r - gw * 0.25)} L${n(gw * 0.2)} ${n(
          cy - r - gw * 0.25,
        )} L${n(gw * 0.35)} ${n(cy - r + 4)} Z" fill="${scene.metal(metal)}"/>` +
        gem(ctx, 0, cy - r - gw * 0.45, gw, stone) +
        `<rect x="${n(-bw / 2 + 20)}" y="${n(cushionY)}" width="${n(bw - 40)}" height="70" rx="32" fill="${scene.lit(
          velvet,
          12,
          true,
        )}"/>` +
        `<rect x="${n(-bw / 2)}" y="${n(-boxH)}" width="${n(bw)}" height="${n(boxH)}" rx="18" fill="${scene.lit(
          shade(velvet, -6),
        )}"/>` +
        `<rect x="${n(-bw / 2)}" y="${n(-boxH)}" width="${n(bw)}" height="10" fill="${scene.metal(metal)}"/>`,
    };
  }

  // Beaded necklace with a pendant on a display bust.
  const bust = rng() < 0.5 ? shade(velvet, -5) : hsl(35, 25, range(rng, 78, 88));
  // Neck, sloping shoulders, chest cut off in a shallow curve, on a stem.
  const path =
    'M-62 -670 Q0 -690 62 -670 L62 -530 C90 -480 200 -480 250 -440 C275 -420 282 -390 272 -350 L252 -210 Q150 -165 48 -180 L48 -40 ' +
    'L-48 -40 L-48 -180 Q-150 -165 -252 -210 L-272 -350 C-282 -390 -275 -420 -250 -440 C-200 -480 -90 -480 -62 -530 Z';
  const dip = range(rng, -330, -230);
  const count = 15 + Math.floor(rng() * 10);
  const beadR = range(rng, 11, 16);
  const pattern = Array.from({ length: 2 + Math.floor(rng() * 3) }, () => pick(rng, BEADS));
  // Colourway: the variant rotates which bead colour leads the pattern.
  const beadAt = (i: number) => pattern[(i + ctx.variant) % pattern.length]!;
  const spread = range(rng, 150, 210);
  // Cubic from one side of the neck to the other, bowing out across the chest.
  const curve = (t: number): [number, number] => {
    const u = 1 - t;
    const x = u * u * u * -66 + 3 * u * u * t * -spread + 3 * u * t * t * spread + t * t * t * 66;
    const y = u * u * u * -525 + 3 * u * u * t * dip + 3 * u * t * t * dip + t * t * t * -525;
    return [x, y];
  };
  let beads = '';
  for (let i = 0; i < count; i++) {
    const [x, y] = curve(i / (count - 1));
    beads += `<circle cx="${n(x)}" cy="${n(y)}" r="${n(beadR)}" fill="${scene.lit(beadAt(i), 18)}"/>`;
  }
  const py = curve(0.5)[1] + beadR;
  return {
    width: 560,
    height: 690,
    svg:
      `<rect x="-110" y="-40" width="220" height="40" rx="8" fill="${scene.lit(shade(bust, -25))}"/>` +
      `<path d="${path}" fill="${scene.lit(bust, 10)}"/>` +
      `<path d="M-66 -525 C${n(-spread)} ${n(dip)} ${n(spread)} ${n(dip)} 66 -525" fill="none" stroke="${scene.metal(metal)}" stroke-width="4"/>` +
      beads +
      `<rect x="-6" y="${n(py - 4)}" width="12" height="26" rx="4" fill="${scene.metal(metal)}"/>` +
      gem(ctx, 0, py + 52, range(rng, 70, 100), stone),
  };
}

function fashion(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const base = ctx.main;
  const p1 = accent(ctx, 1);
  const p2 = accent(ctx, 2);
  const wood = hsl(30, 40, range(rng, 40, 60));
  const stand =
    `<ellipse cx="0" cy="-8" rx="150" ry="22" fill="${scene.metal(hsl(0, 0, 35))}"/>` +
    `<rect x="-7" y="-720" width="14" height="712" fill="${scene.metal(hsl(0, 0, 55))}"/>` +
    `<path d="M0 -690 q0 -40 26 -40 q26 0 26 26" fill="none" stroke="${hex(hsl(0, 0, 40))}" stroke-width="8" stroke-linecap="round"/>` +
    `<path d="M-215 -565 L0 -690 L215 -565" fill="none" stroke="${hex(wood)}" stroke-width="16" stroke-linejoin="round"/>`;

  let outline: string;
  let hemY: number;
  let extra = '';
  const isDress = rng() < 0.55;
  if (isDress) {
    const sw = range(rng, 135, 165);
    const ww = range(rng, 85, 110);
    const hw = range(rng, 220, 310);
    hemY = range(rng, -140, -60);
    const waistY = range(rng, -420, -380);
    outline =
      `M${n(-sw)} -560 L${n(-sw * 0.45)} -585 Q0 ${n(-470 - rng() * 40)} ${n(sw * 0.45)} -585 L${n(sw)} -560 ` +
      `C${n(sw * 0.9)} -500 ${n(ww)} -480 ${n(ww)} ${n(waistY)} C${n(ww + 50)} ${n(waistY + 90)} ${n(hw - 20)} ${n(
        hemY - 70,
      )} ${n(hw)} ${n(hemY)} Q0 ${n(hemY + 40)} ${n(-hw)} ${n(hemY)} C${n(-hw + 20)} ${n(hemY - 70)} ${n(-ww - 50)} ${n(
        waistY + 90,
      )} ${n(-ww)} ${n(waistY)} C${n(-ww)} -480 ${n(-sw * 0.9)} -500 ${n(-sw)} -560 Z`;
    extra = `<rect x="${n(-ww - 10)}" y="${n(waistY - 14)}" width="${n(2 * ww + 20)}" height="28" fill="${hex(p2)}"/>`;
  } else {
    hemY = range(rng, -200, -150);
    const sw = range(rng, 190, 215);
    const sl = range(rng, 90, 130);
    outline =
      `M-62 -588 Q0 -548 62 -588 L${n(sw)} -558 L${n(sw + sl)} -450 L${n(sw + sl - 62)} -398 L${n(sw - 8)} -440 ` +
      `L${n(sw - 12)} ${n(hemY)} L${n(-sw + 12)} ${n(hemY)} L${n(-sw + 8)} -440 L${n(-sw - sl + 62)} -398 L${n(
        -sw - sl,
      )} -450 L${n(-sw)} -558 Z`;
    let buttons = '';
    for (let y = -520; y < hemY - 20; y += 70)
      buttons += `<circle cx="0" cy="${y}" r="7" fill="${hex(shade(base, -25))}"/>`;
    extra =
      `<path d="M-62 -588 L-8 -520 L-30 -600 Z M62 -588 L8 -520 L30 -600 Z" fill="${hex(shade(base, 12))}"/>` +
      `<line x1="0" y1="-540" x2="0" y2="${n(hemY)}" stroke="${hex(shade(base, -18))}" stroke-width="3"/>${buttons}` +
      `<rect x="${n(-sw * 0.7)}" y="-470" width="70" height="80" rx="6" fill="none" stroke="${hex(
        shade(base, -18),
      )}" stroke-width="3"/>`;
  }

  // Kitenge / kikoy style print, clipped to the garment.
  const clip = scene.clip(`<path d="${outline}"/>`);
  const style = Math.floor(rng() * 4);
  let print = '';
  const gap = range(rng, 60, 110);
  if (style === 0) {
    for (let y = -600, i = 0; y < 0; y += gap, i++)
      print += `<rect x="-400" y="${n(y)}" width="800" height="${n(gap * 0.35)}" fill="${hex(i % 2 ? p1 : p2)}"/>`;
  } else if (style === 1) {
    for (let y = -600, row = 0; y < 0; y += gap, row++)
      for (let x = -400 + (row % 2) * gap * 0.5; x < 400; x += gap)
        print += `<circle cx="${n(x)}" cy="${n(y)}" r="${n(gap * 0.22)}" fill="${hex(row % 2 ? p1 : p2)}"/>`;
  } else if (style === 2) {
    for (let y = -600, i = 0; y < 0; y += gap, i++) {
      let d = `M-400 ${n(y)}`;
      for (let x = -400; x < 400; x += gap) d += ` l${n(gap / 2)} ${n(gap * 0.4)} l${n(gap / 2)} ${n(-gap * 0.4)}`;
      print += `<path d="${d}" fill="none" stroke="${hex(i % 2 ? p1 : p2)}" stroke-width="${n(gap * 0.16)}"/>`;
    }
  } else {
    for (let x = -400, i = 0; x < 400; x += gap, i++)
      print += `<rect x="${n(x)}" y="-620" width="${n(gap * 0.3)}" height="620" fill="${hex(i % 2 ? p1 : p2)}"/>`;
  }
  return {
    width: 460,
    height: 740,
    svg:
      stand +
      `<path d="${outline}" fill="${scene.lit(base, 14)}"/>` +
      `<g clip-path="${clip}" opacity="0.85">${print}</g>` +
      // soft fold shading over the print
      `<path d="${outline}" fill="${scene.lit(hsl(0, 0, 50), 40)}" fill-opacity="0.18"/>` +
      extra,
  };
}

function art(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const portrait = rng() < 0.6;
  const fw = portrait ? range(rng, 460, 540) : range(rng, 640, 720);
  const fh = portrait ? range(rng, 620, 700) : range(rng, 460, 540);
  const ft = range(rng, 26, 46);
  const mat = rng() < 0.5 ? range(rng, 24, 50) : 0;
  const frame = pick(rng, [hsl(28, 45, 38), hsl(0, 0, 12), hsl(43, 60, 50), hsl(30, 20, 85)] as const);
  const x0 = -fw / 2 + ft + mat;
  const y0 = -fh + ft + mat;
  const cw = fw - 2 * (ft + mat);
  const chh = fh - 2 * (ft + mat);
  const ground = shade(ctx.main, 30, -25);
  const clip = scene.clip(`<rect x="${n(x0)}" y="${n(y0)}" width="${n(cw)}" height="${n(chh)}"/>`);
  let shapes = `<rect x="${n(x0)}" y="${n(y0)}" width="${n(cw)}" height="${n(chh)}" fill="${hex(ground)}"/>`;
  // Horizon band gives the abstract a landscape feel (sun, hills) half the time.
  if (rng() < 0.5) {
    const hy = y0 + chh * range(rng, 0.45, 0.7);
    shapes += `<rect x="${n(x0)}" y="${n(hy)}" width="${n(cw)}" height="${n(chh)}" fill="${hex(shade(accent(ctx, 1), -10))}"/>`;
  }
  const count = 5 + Math.floor(rng() * 5);
  for (let i = 0; i < count; i++) {
    const c = accent(ctx, i);
    const x = x0 + rng() * cw;
    const y = y0 + rng() * chh;
    const s = range(rng, 0.12, 0.35) * Math.min(cw, chh);
    const kind = Math.floor(rng() * 4);
    if (kind === 0) shapes += `<circle cx="${n(x)}" cy="${n(y)}" r="${n(s)}" fill="${hex(c)}" fill-opacity="0.9"/>`;
    else if (kind === 1)
      shapes += `<rect x="${n(x - s)}" y="${n(y - s / 2)}" width="${n(2 * s)}" height="${n(s)}" transform="rotate(${n(
        range(rng, -40, 40),
      )} ${n(x)} ${n(y)})" fill="${hex(c)}" fill-opacity="0.85"/>`;
    else if (kind === 2)
      shapes += `<path d="M${n(x)} ${n(y - s)} L${n(x + s)} ${n(y + s)} L${n(x - s)} ${n(y + s)} Z" fill="${hex(c)}" fill-opacity="0.85"/>`;
    else
      shapes += `<path d="M${n(x0 - 20)} ${n(y)} C${n(x0 + cw * 0.3)} ${n(y - s)} ${n(x0 + cw * 0.6)} ${n(y + s)} ${n(
        x0 + cw + 20,
      )} ${n(y)}" fill="none" stroke="${hex(c)}" stroke-width="${n(s * 0.25)}" stroke-linecap="round"/>`;
  }
  const depth = 16 * -scene.light;
  return {
    width: fw,
    height: fh,
    svg:
      // frame side (depth), frame face, mat, canvas
      `<path d="M${n(depth > 0 ? fw / 2 : -fw / 2)} ${n(-fh)} l${n(depth)} 10 l0 ${n(fh - 10)} l${n(-depth)} 0 Z" fill="${hex(
        shade(frame, -20),
      )}"/>` +
      `<rect x="${n(-fw / 2)}" y="${n(-fh)}" width="${n(fw)}" height="${n(fh)}" fill="${scene.metal(frame)}"/>` +
      `<rect x="${n(-fw / 2 + ft)}" y="${n(-fh + ft)}" width="${n(fw - 2 * ft)}" height="${n(fh - 2 * ft)}" fill="${hex(
        hsl(40, 20, 95),
      )}" stroke="${hex(shade(frame, -25))}" stroke-width="3"/>` +
      `<g clip-path="${clip}">${shapes}</g>`,
  };
}

function homeDecor(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const body = ctx.main;
  if (rng() < 0.6) {
    // Vase, optionally with dried grasses.
    const h = range(rng, 460, 620);
    const fw = range(rng, 70, 110);
    const bw = range(rng, 140, 210);
    const nw = range(rng, 55, 90);
    const lw = nw + range(rng, 5, 35);
    const profile: [number, number][] = [
      [fw, 0],
      [bw, -h * range(rng, 0.3, 0.5)],
      [nw, -h * 0.85],
      [lw, -h],
    ];
    const outline = lathe(profile);
    const clip = scene.clip(`<path d="${outline}"/>`);
    let bands = '';
    const bandCount = 2 + Math.floor(rng() * 3);
    for (let i = 0; i < bandCount; i++) {
      const y = -h * range(rng, 0.12, 0.8);
      const t = range(rng, 14, 40);
      bands += `<rect x="-300" y="${n(y)}" width="600" height="${n(t)}" fill="${hex(accent(ctx, i + 1))}"/>`;
      if (rng() < 0.5) {
        let tri = '';
        for (let x = -300; x < 300; x += t * 1.4)
          tri += `M${n(x)} ${n(y + t)} l${n(t * 0.7)} ${n(t)} l${n(t * 0.7)} ${n(-t)} Z `;
        bands += `<path d="${tri}" fill="${hex(accent(ctx, i + 2))}"/>`;
      }
    }
    let stems = '';
    if (rng() < 0.5) {
      const stemColor = hex(hsl(38, 45, range(rng, 55, 75)));
      for (let i = 0; i < 7; i++) {
        const a = range(rng, -0.6, 0.6);
        const len = range(rng, 200, 340);
        const ex = Math.sin(a) * len;
        const ey = -h - Math.cos(a) * len;
        stems += `<path d="M${n(a * 20)} ${n(-h + 20)} Q${n(ex * 0.3)} ${n(-h - len * 0.6)} ${n(ex)} ${n(ey)}" fill="none" stroke="${stemColor}" stroke-width="5"/>`;
        stems += `<ellipse cx="${n(ex)}" cy="${n(ey)}" rx="14" ry="40" transform="rotate(${n(
          (a * 180) / Math.PI,
        )} ${n(ex)} ${n(ey)})" fill="${stemColor}"/>`;
      }
    }
    return {
      width: bw * 2,
      height: h,
      svg:
        stems +
        `<path d="${outline}" fill="${scene.lit(body, 18)}"/>` +
        `<g clip-path="${clip}" opacity="0.9">${bands}</g>` +
        `<path d="${outline}" fill="${scene.lit(hsl(0, 0, 50), 45)}" fill-opacity="0.2"/>` +
        `<ellipse cx="0" cy="${n(-h)}" rx="${n(lw)}" ry="${n(lw * 0.22)}" fill="${hex(shade(body, -30))}" stroke="${hex(
          shade(body, 10),
        )}" stroke-width="4"/>`,
    };
  }
  // Table lamp: ceramic base, brass stem, woven shade, warm glow.
  const baseH = range(rng, 200, 280);
  const baseOutline = lathe([
    [range(rng, 60, 90), 0],
    [range(rng, 110, 150), -baseH * 0.45],
    [30, -baseH],
  ]);
  const stemTop = -baseH - range(rng, 120, 180);
  const shadeColor = shade(accent(ctx, 1), 25, -20);
  const sb = range(rng, 150, 190);
  const st = sb * range(rng, 0.55, 0.8);
  const sh = range(rng, 200, 250);
  const shadeBottom = stemTop + 40;
  const shadeTop = shadeBottom - sh;
  const shadePath = `M${n(-st)} ${n(shadeTop)} L${n(st)} ${n(shadeTop)} L${n(sb)} ${n(shadeBottom)} L${n(-sb)} ${n(shadeBottom)} Z`;
  const clip = scene.clip(`<path d="${shadePath}"/>`);
  let weave = '';
  for (let x = -400; x < 400; x += 26)
    weave += `M${x} ${n(shadeTop)} l${n(sh * 0.6)} ${n(sh)} M${x} ${n(shadeTop)} l${n(-sh * 0.6)} ${n(sh)} `;
  const glow = scene.radial([
    [0, '#fff2c4', 0.8],
    [1, '#fff2c4', 0],
  ]);
  return {
    width: sb * 2,
    height: -shadeTop,
    svg:
      `<ellipse cx="0" cy="${n(shadeBottom + 60)}" rx="${n(sb * 1.6)}" ry="${n(sh)}" fill="${glow}"/>` +
      `<rect x="-7" y="${n(stemTop)}" width="14" height="${n(-stemTop - baseH + 10)}" fill="${scene.metal(hsl(42, 55, 50))}"/>` +
      `<path d="${baseOutline}" fill="${scene.lit(body, 18)}"/>` +
      `<path d="${shadePath}" fill="${scene.lit(shadeColor, 10)}"/>` +
      `<path clip-path="${clip}" d="${weave}" stroke="${hex(shade(shadeColor, -20))}" stroke-opacity="0.5" stroke-width="3" fill="none"/>` +
      `<ellipse cx="0" cy="${n(shadeBottom)}" rx="${n(sb)}" ry="14" fill="#fff6d8"/>`,
  };
}

function leatherGoods(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const leather = pick(rng, [
    hsl(25, 55, range(rng, 28, 42)),
    hsl(30, 50, range(rng, 45, 55)),
    hsl(0, 0, 14),
    hsl(350, 45, 28),
    hsl(20, 35, 60),
  ] as const);
  const dark = shade(leather, -12);
  const stitch = hex(shade(leather, 30, -10));
  const tw = range(rng, 320, 380);
  const bw = tw + range(rng, 40, 110);
  const bh = range(rng, 270, 330);
  const body = `M${n(-tw / 2)} ${n(-bh)} L${n(tw / 2)} ${n(-bh)} L${n(bw / 2)} -40 Q${n(bw / 2)} 0 ${n(bw / 2 - 40)} 0 L${n(
    -bw / 2 + 40,
  )} 0 Q${n(-bw / 2)} 0 ${n(-bw / 2)} -40 Z`;
  const handleH = range(rng, 140, 220);
  const hx = tw * range(rng, 0.22, 0.34);
  const brass = scene.metal(hsl(44, 60, 52));
  let svg =
    `<path d="M${n(-hx)} ${n(-bh + 4)} C${n(-hx)} ${n(-bh - handleH)} ${n(hx)} ${n(-bh - handleH)} ${n(hx)} ${n(
      -bh + 4,
    )}" fill="none" stroke="${hex(dark)}" stroke-width="24" stroke-linecap="round"/>` +
    `<path d="${body}" fill="${scene.lit(leather, 14)}"/>` +
    `<path d="M${n(-tw / 2 + 16)} ${n(-bh + 16)} L${n(tw / 2 - 16)} ${n(-bh + 16)} L${n(bw / 2 - 16)} -40 Q${n(
      bw / 2 - 16,
    )} -16 ${n(bw / 2 - 50)} -16 L${n(-bw / 2 + 50)} -16 Q${n(-bw / 2 + 16)} -16 ${n(-bw / 2 + 16)} -40 Z" fill="none" stroke="${stitch}" stroke-width="3" stroke-dasharray="10 8"/>` +
    [-hx, hx]
      .map(
        (x) =>
          `<rect x="${n(x - 20)}" y="${n(-bh - 6)}" width="40" height="44" rx="8" fill="${hex(dark)}"/><circle cx="${n(
            x,
          )}" cy="${n(-bh + 20)}" r="7" fill="${brass}"/>`,
      )
      .join('');
  if (rng() < 0.6) {
    // Satchel flap with a buckle.
    const fy = -bh + bh * range(rng, 0.42, 0.58);
    const fwid = tw + (bw - tw) * ((fy + bh) / bh);
    svg +=
      `<path d="M${n(-tw / 2 - 4)} ${n(-bh)} L${n(tw / 2 + 4)} ${n(-bh)} L${n(fwid / 2 + 4)} ${n(fy - 40)} Q${n(
        fwid / 2,
      )} ${n(fy)} ${n(fwid / 2 - 50)} ${n(fy)} L${n(-fwid / 2 + 50)} ${n(fy)} Q${n(-fwid / 2)} ${n(fy)} ${n(
        -fwid / 2 - 4,
      )} ${n(fy - 40)} Z" fill="${scene.lit(shade(leather, -5), 16)}"/>` +
      `<rect x="-22" y="${n(fy - 20)}" width="44" height="${n(range(rng, 60, 90))}" rx="6" fill="${hex(dark)}"/>` +
      `<rect x="-30" y="${n(fy - 8)}" width="60" height="40" rx="6" fill="none" stroke="${brass}" stroke-width="7"/>`;
  } else {
    // Tote with a beaded band.
    const y = -bh * range(rng, 0.45, 0.6);
    const w = tw + (bw - tw) * ((y + bh) / bh);
    svg += `<rect x="${n(-w / 2)}" y="${n(y)}" width="${n(w)}" height="34" fill="${hex(hsl(40, 30, 90))}"/>`;
    for (let x = -w / 2 + 4, i = 0; x < w / 2 - 20; x += 22, i++)
      svg += `<rect x="${n(x)}" y="${n(y + 7)}" width="18" height="20" rx="4" fill="${hex(accent(ctx, i))}"/>`;
  }
  return { width: bw, height: bh + handleH, svg };
}

function beauty(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const tint = ctx.main;
  const gold = scene.metal(pick(rng, METALS));
  if (rng() < 0.3) {
    // Shea butter jar.
    const w = range(rng, 300, 380);
    const h = range(rng, 160, 220);
    const lidH = range(rng, 70, 100);
    const jar = shade(tint, 20, -20);
    const lid = pick(rng, [hsl(30, 40, 40), hsl(0, 0, 95), shade(accent(ctx, 1), -5)] as const);
    return {
      width: w,
      height: h + lidH,
      svg:
        `<path d="M${n(-w / 2)} ${n(-h)} L${n(-w / 2)} -20 Q${n(-w / 2)} 0 ${n(-w / 2 + 40)} 0 L${n(w / 2 - 40)} 0 Q${n(
          w / 2,
        )} 0 ${n(w / 2)} -20 L${n(w / 2)} ${n(-h)} Z" fill="${scene.lit(jar, 16)}"/>` +
        `<rect x="${n(-w * 0.35)}" y="${n(-h * 0.75)}" width="${n(w * 0.7)}" height="${n(h * 0.5)}" rx="10" fill="${hex(
          hsl(40, 30, 96),
        )}"/>` +
        `<circle cx="0" cy="${n(-h * 0.5)}" r="${n(h * 0.16)}" fill="${hex(accent(ctx, 2))}"/>` +
        `<rect x="${n(-w / 2 - 8)}" y="${n(-h - lidH)}" width="${n(w + 16)}" height="${n(lidH)}" rx="16" fill="${scene.lit(
          lid,
          14,
        )}"/>`,
    };
  }
  // Perfume bottle: glass body, liquid, neck, collar, cap.
  const w = range(rng, 240, 340);
  const h = range(rng, 280, 380);
  const shape = Math.floor(rng() * 3);
  const bodyPath =
    shape === 0
      ? `M${n(-w / 2)} ${n(-h + 40)} Q${n(-w / 2)} ${n(-h)} ${n(-w / 2 + 40)} ${n(-h)} L${n(w / 2 - 40)} ${n(-h)} Q${n(
          w / 2,
        )} ${n(-h)} ${n(w / 2)} ${n(-h + 40)} L${n(w / 2)} -30 Q${n(w / 2)} 0 ${n(w / 2 - 30)} 0 L${n(-w / 2 + 30)} 0 Q${n(
          -w / 2,
        )} 0 ${n(-w / 2)} -30 Z`
      : shape === 1
        ? lathe([
            [w * 0.3, 0],
            [w / 2, -h * 0.45],
            [w * 0.22, -h],
          ])
        : `M${n(-w * 0.3)} 0 L${n(w * 0.3)} 0 L${n(w / 2)} ${n(-h * 0.3)} L${n(w / 2)} ${n(-h * 0.75)} L${n(w * 0.3)} ${n(
            -h,
          )} L${n(-w * 0.3)} ${n(-h)} L${n(-w / 2)} ${n(-h * 0.75)} L${n(-w / 2)} ${n(-h * 0.3)} Z`;
  const clip = scene.clip(`<path d="${bodyPath}"/>`);
  const level = range(rng, 0.45, 0.85);
  const neckW = range(rng, 44, 64);
  const capH = range(rng, 90, 150);
  const capW = range(rng, 80, 150);
  const capKind = Math.floor(rng() * 3);
  const capFill = rng() < 0.5 ? gold : scene.lit(shade(accent(ctx, 1), -10), 20);
  const capY = -h - 40;
  const cap =
    capKind === 0
      ? `<rect x="${n(-capW / 2)}" y="${n(capY - capH)}" width="${n(capW)}" height="${n(capH)}" rx="10" fill="${capFill}"/>`
      : capKind === 1
        ? `<circle cx="0" cy="${n(capY - capW / 2)}" r="${n(capW / 2)}" fill="${capFill}"/>`
        : `<path d="M${n(-capW / 2)} ${n(capY)} L${n(-capW * 0.3)} ${n(capY - capH)} L${n(capW * 0.3)} ${n(capY - capH)} L${n(
            capW / 2,
          )} ${n(capY)} Z" fill="${capFill}"/>`;
  const hlx = -scene.light * w * 0.3;
  return {
    width: w,
    height: h + 40 + capH,
    svg:
      `<path d="${bodyPath}" fill="${hex(shade(tint, 35, -30))}" fill-opacity="0.55" stroke="${hex(
        shade(tint, 10),
      )}" stroke-width="4"/>` +
      `<g clip-path="${clip}"><rect x="-300" y="${n(-h * level)}" width="600" height="${n(h * level)}" fill="${scene.lit(
        tint,
        14,
      )}" fill-opacity="0.85"/>` +
      `<rect x="${n(hlx - 12)}" y="${n(-h)}" width="24" height="${n(h)}" rx="12" fill="#ffffff" fill-opacity="0.45"/></g>` +
      `<rect x="${n(-w * 0.22)}" y="${n(-h * 0.42)}" width="${n(w * 0.44)}" height="${n(h * 0.16)}" rx="4" fill="${hex(
        hsl(40, 25, 95),
      )}" fill-opacity="0.9"/>` +
      `<rect x="${n(-neckW / 2)}" y="${n(-h - 40)}" width="${n(neckW)}" height="44" fill="${hex(shade(tint, 30, -30))}"/>` +
      `<rect x="${n(-neckW / 2 - 8)}" y="${n(-h - 46)}" width="${n(neckW + 16)}" height="18" rx="4" fill="${gold}"/>` +
      cap,
  };
}

function coffeeTea(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const labelColor = ctx.main;
  let svg: string;
  let width: number;
  let height: number;
  if (rng() < 0.6) {
    // Stand-up pouch with crimped top, valve and label panel.
    const w = range(rng, 300, 380);
    const h = range(rng, 460, 560);
    const paper = rng() < 0.6 ? hsl(32, range(rng, 30, 45), range(rng, 55, 68)) : shade(accent(ctx, 1), -10);
    let crimp = '';
    for (let x = -w / 2 + 10; x < w / 2 - 6; x += 12) crimp += `M${n(x)} ${n(-h + 8)} l0 40 `;
    svg =
      `<path d="M${n(-w / 2)} ${n(-h)} L${n(w / 2)} ${n(-h)} L${n(w / 2 + 14)} -30 Q${n(w / 2 + 14)} 0 ${n(
        w / 2 - 20,
      )} 0 L${n(-w / 2 + 20)} 0 Q${n(-w / 2 - 14)} 0 ${n(-w / 2 - 14)} -30 Z" fill="${scene.lit(paper, 14)}"/>` +
      `<path d="${crimp}" stroke="${hex(shade(paper, -18))}" stroke-width="3"/>` +
      `<rect x="${n(-w * 0.36)}" y="${n(-h * 0.7)}" width="${n(w * 0.72)}" height="${n(h * 0.46)}" rx="12" fill="${hex(
        labelColor,
      )}"/>` +
      `<circle cx="0" cy="${n(-h * 0.55)}" r="${n(w * 0.13)}" fill="${hex(hsl(40, 30, 95))}"/>` +
      `<path d="M${n(-w * 0.09)} ${n(-h * 0.52)} l${n(w * 0.09)} ${n(-w * 0.09)} l${n(w * 0.09)} ${n(w * 0.09)} Z" fill="${hex(
        shade(labelColor, -15),
      )}"/>` +
      `<rect x="${n(-w * 0.26)}" y="${n(-h * 0.38)}" width="${n(w * 0.52)}" height="10" rx="5" fill="${hex(hsl(40, 30, 95))}"/>` +
      `<rect x="${n(-w * 0.18)}" y="${n(-h * 0.33)}" width="${n(w * 0.36)}" height="8" rx="4" fill="${hex(hsl(40, 30, 90))}"/>` +
      `<circle cx="${n(w * 0.3)}" cy="${n(-h * 0.82)}" r="16" fill="${hex(shade(paper, -25))}"/>`;
    width = w;
    height = h;
  } else {
    // Tea / coffee tin.
    const w = range(rng, 250, 320);
    const h = range(rng, 320, 420);
    const tin = pick(rng, [hsl(0, 0, 20), hsl(160, 35, 30), hsl(5, 60, 40), shade(accent(ctx, 2), -10)] as const);
    const ry = w * 0.14;
    svg =
      `<path d="M${n(-w / 2)} ${n(-h)} L${n(-w / 2)} 0 A${n(w / 2)} ${n(ry)} 0 0 0 ${n(w / 2)} 0 L${n(w / 2)} ${n(
        -h,
      )} Z" fill="${scene.metal(tin)}"/>` +
      `<rect x="${n(-w / 2)}" y="${n(-h * 0.65)}" width="${n(w)}" height="${n(h * 0.4)}" fill="${hex(labelColor)}"/>` +
      `<rect x="${n(-w / 2)}" y="${n(-h * 0.6)}" width="${n(w)}" height="8" fill="${hex(accent(ctx, 1))}"/>` +
      `<rect x="${n(-w / 2)}" y="${n(-h * 0.33)}" width="${n(w)}" height="8" fill="${hex(accent(ctx, 1))}"/>` +
      `<path d="M${n(-w / 2 - 6)} ${n(-h - 70)} L${n(-w / 2 - 6)} ${n(-h)} A${n(w / 2 + 6)} ${n(ry)} 0 0 0 ${n(
        w / 2 + 6,
      )} ${n(-h)} L${n(w / 2 + 6)} ${n(-h - 70)} Z" fill="${scene.metal(shade(tin, -6))}"/>` +
      `<ellipse cx="0" cy="${n(-h - 70)}" rx="${n(w / 2 + 6)}" ry="${n(ry)}" fill="${scene.metal(shade(tin, 10))}"/>`;
    width = w;
    height = h + 70 + ry;
  }
  // A few loose beans in front of the package.
  const bean = hsl(20, 55, range(rng, 18, 28));
  const beans = 4 + Math.floor(rng() * 6);
  for (let i = 0; i < beans; i++) {
    const x = (rng() < 0.5 ? -1 : 1) * range(rng, width / 2 + 20, width / 2 + 170);
    const y = range(rng, -22, 0);
    const a = range(rng, 0, 180);
    svg +=
      `<g transform="translate(${n(x)} ${n(y)}) rotate(${n(a)})"><ellipse rx="22" ry="15" fill="${scene.lit(bean, 12)}"/>` +
      `<path d="M-18 0 Q0 -6 18 0" fill="none" stroke="${hex(shade(bean, -12))}" stroke-width="3"/></g>`;
  }
  return { width: width + 160, height, svg };
}

function safariOutdoor(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  if (rng() < 0.5) {
    // Binoculars, objective lenses towards the camera.
    const armour = pick(rng, [hsl(90, 20, 28), hsl(0, 0, 14), hsl(35, 30, 45), hsl(25, 35, 30)] as const);
    const r = range(rng, 80, 100);
    const gap = range(rng, 120, 150);
    const bodyH = range(rng, 300, 360);
    const lens = scene.radial([
      [0, hex(hsl(260, 40, 55)), 1],
      [0.6, hex(hsl(210, 60, 25)), 1],
      [1, '#05070c', 1],
    ]);
    let svg = `<path d="M${n(-gap - r - 20)} ${n(-bodyH + 40)} C${n(-gap - r - 120)} -120 ${n(-gap - 60)} -10 ${n(
      -gap - 190,
    )} -4" fill="none" stroke="${hex(shade(armour, -8))}" stroke-width="12" stroke-linecap="round"/>`;
    for (const side of [-1, 1]) {
      const cx = side * gap;
      svg +=
        `<rect x="${n(cx - r * 0.55)}" y="${n(-bodyH - 60)}" width="${n(r * 1.1)}" height="90" rx="16" fill="${scene.lit(
          hsl(0, 0, 15),
        )}"/>` +
        `<rect x="${n(cx - r - 22)}" y="${n(-bodyH)}" width="${n(2 * r + 44)}" height="${n(bodyH)}" rx="${n(r * 0.7)}" fill="${scene.lit(
          armour,
          14,
        )}"/>` +
        `<circle cx="${n(cx)}" cy="${n(-r - 34)}" r="${n(r + 8)}" fill="${scene.metal(hsl(0, 0, 40))}"/>` +
        `<circle cx="${n(cx)}" cy="${n(-r - 34)}" r="${n(r - 6)}" fill="${lens}"/>` +
        `<path d="M${n(cx - r * 0.55)} ${n(-r - 34 - r * 0.35)} A${n(r * 0.7)} ${n(r * 0.7)} 0 0 1 ${n(cx + r * 0.2)} ${n(
          -r - 34 - r * 0.62,
        )}" fill="none" stroke="#ffffff" stroke-opacity="0.55" stroke-width="8" stroke-linecap="round"/>`;
    }
    let ridges = '';
    for (let x = -34; x <= 34; x += 8) ridges += `M${x} ${n(-bodyH - 30)} l0 70 `;
    svg +=
      `<rect x="${n(-gap + r)}" y="${n(-bodyH + 30)}" width="${n(2 * (gap - r))}" height="${n(bodyH * 0.55)}" rx="20" fill="${scene.lit(
        shade(armour, -10),
      )}"/>` +
      `<rect x="-40" y="${n(-bodyH - 34)}" width="80" height="78" rx="12" fill="${hex(hsl(0, 0, 18))}"/>` +
      `<path d="${ridges}" stroke="${hex(hsl(0, 0, 40))}" stroke-width="3"/>`;
    return { width: 2 * (gap + r + 22), height: bodyH + 60, svg };
  }
  // Safari hat.
  const felt = pick(rng, [hsl(40, 35, 62), hsl(75, 20, 40), hsl(30, 45, 45), hsl(45, 25, 80)] as const);
  const bw = range(rng, 300, 360);
  const cw = bw * range(rng, 0.5, 0.6);
  const crownH = range(rng, 190, 260);
  const by = -90;
  const bandH = range(rng, 36, 56);
  const crown = `M${n(-cw)} ${n(by)} L${n(-cw * 0.86)} ${n(by - crownH + 40)} Q0 ${n(by - crownH - 50)} ${n(cw * 0.86)} ${n(
    by - crownH + 40,
  )} L${n(cw)} ${n(by)} Z`;
  const bandClip = scene.clip(`<path d="${crown}"/>`);
  let band = `<rect x="-400" y="${n(by - bandH - 10)}" width="800" height="${n(bandH)}" fill="${hex(ctx.main)}"/>`;
  if (rng() < 0.5) {
    for (let x = -cw, i = 0; x < cw; x += 20, i++)
      band += `<rect x="${n(x)}" y="${n(by - bandH)}" width="14" height="${n(bandH - 20)}" rx="3" fill="${hex(accent(ctx, i + 1))}"/>`;
  } else {
    for (let x = -cw; x < cw; x += 34)
      band += `<ellipse cx="${n(x + rng() * 10)}" cy="${n(by - bandH / 2 - 10 + rng() * 8 - 4)}" rx="9" ry="6" fill="${hex(
        shade(ctx.main, -35),
      )}"/>`;
  }
  return {
    width: 2 * bw,
    height: crownH + 140,
    svg:
      `<ellipse cx="0" cy="${n(by)}" rx="${n(bw)}" ry="70" fill="${hex(shade(felt, -14))}"/>` +
      `<path d="${crown}" fill="${scene.lit(felt, 14)}"/>` +
      `<g clip-path="${bandClip}">${band}</g>` +
      `<path d="M${n(-bw)} ${n(by)} A${n(bw)} 70 0 0 0 ${n(bw)} ${n(by)} L${n(cw)} ${n(by)} A${n(cw)} 22 0 0 1 ${n(
        -cw,
      )} ${n(by)} Z" fill="${scene.lit(felt, 16)}"/>`,
  };
}

function giftBox(ctx: Ctx): Drawn {
  const { rng, scene } = ctx;
  const box = ctx.main;
  const ribbon = accent(ctx, 1);
  const w = range(rng, 320, 420);
  const h = range(rng, 260, 340);
  const lidH = 80;
  const rw = 50;
  const bow = (dir: number) =>
    `<ellipse cx="${n(dir * 70)}" cy="${n(-h - lidH - 50)}" rx="80" ry="42" transform="rotate(${dir * -25} ${n(dir * 70)} ${n(
      -h - lidH - 50,
    )})" fill="${scene.lit(ribbon, 18)}"/>`;
  return {
    width: w + 30,
    height: h + lidH + 100,
    svg:
      `<rect x="${n(-w / 2)}" y="${n(-h)}" width="${n(w)}" height="${n(h)}" fill="${scene.lit(box, 14)}"/>` +
      `<rect x="${n(-w / 2 - 15)}" y="${n(-h - lidH)}" width="${n(w + 30)}" height="${lidH}" rx="6" fill="${scene.lit(
        shade(box, 6),
        14,
      )}"/>` +
      `<rect x="${-rw / 2}" y="${n(-h - lidH)}" width="${rw}" height="${n(h + lidH)}" fill="${scene.lit(ribbon, 12)}"/>` +
      bow(-1) +
      bow(1) +
      `<circle cx="0" cy="${n(-h - lidH - 40)}" r="30" fill="${hex(shade(ribbon, -8))}"/>`,
  };
}

const RENDERERS: Record<string, (ctx: Ctx) => Drawn> = {
  jewellery,
  fashion,
  art,
  'home-decor': homeDecor,
  'leather-goods': leatherGoods,
  beauty,
  'coffee-tea': coffeeTea,
  'safari-outdoor': safariOutdoor,
};

// ---------------------------------------------------------------- scene

/** Rough advance widths (em) of semi-bold DejaVu Sans, measured with sharp. */
function glyphEm(ch: string): number {
  if (/[ijlI.,:;'!|()[\]{} ]/.test(ch)) return 0.36;
  if (/[ftr]/.test(ch)) return 0.48;
  if (/[mwMW—@%]/.test(ch)) return 1.1;
  if (/[A-Z]/.test(ch)) return 0.8;
  if (/[0-9]/.test(ch)) return 0.7;
  if (/[a-z]/.test(ch)) return 0.67;
  return ch.codePointAt(0)! > 0xffff ? 1.25 : 0.8; // emoji / other scripts
}

function tag(label: string, hue: number, tilt: number): string {
  const text = cleanLabel(label);
  if (!text) return '';
  // librsvg ignores textLength, so the tag is sized from an estimate; long or
  // wide labels ("WWW…") get a smaller font instead of spilling off the tag.
  const em = Array.from(text).reduce((sum, ch) => sum + glyphEm(ch), 0);
  const fontSize = Math.min(30, 980 / em);
  const w = Math.max(180, em * fontSize + 90);
  const h = 66;
  const x = SIZE / 2 - w / 2;
  const y = 1085 - h / 2;
  const paper = hex(hsl(hue + 180, 18, 96));
  return (
    `<g transform="rotate(${n(tilt)} ${SIZE / 2} 1085)">` +
    `<path d="M${n(x)} ${n(y + h / 2)} L${n(x + 28)} ${n(y)} L${n(x + w)} ${n(y)} L${n(x + w)} ${n(y + h)} L${n(x + 28)} ${n(
      y + h,
    )} Z" fill="${paper}" stroke="#00000022" stroke-width="2"/>` +
    `<circle cx="${n(x + 30)}" cy="${n(y + h / 2)}" r="8" fill="#00000033"/>` +
    `<text x="${n(x + 44 + (w - 44) / 2)}" y="${n(y + h / 2 + fontSize * 0.36)}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" ` +
    `font-size="${n(fontSize)}" font-weight="600" fill="#2b2620" text-anchor="middle">${escapeXml(text)}</text></g>`
  );
}

function buildSvg(opts: ProductShotOptions): string {
  const variant = ((Math.trunc(opts.variant) % 4) + 4) % 4;
  const category = opts.category.trim().toLowerCase();
  // Product identity ignores the variant, so all gallery images show the same item.
  const rng = mulberry32(hash(`${opts.seed}|${category}`));
  const vrng = mulberry32(hash(`${opts.seed}|${category}|v${variant}`));

  // Golden-angle hue spacing: consecutive seeds get clearly different backdrops.
  const baseHue = (opts.seed * 137.508 + rng() * 20) % 360;
  const bgHue = baseHue + (variant - 1.5) * 10;
  const bgSat = range(rng, 18, 40);

  const accents = Array.from({ length: 4 }, (_, i) =>
    hsl(baseHue + 150 + i * range(rng, 50, 110), range(rng, 45, 75), range(rng, 38, 58)),
  );
  const [main, ...rest] = accents as [Hsl, ...Hsl[]];
  // Colour arrangement: rotate the secondary colours per variant.
  const shift = variant % rest.length;
  const rotated = [...rest.slice(shift), ...rest.slice(0, shift)];

  const light: 1 | -1 = vrng() < 0.5 ? -1 : 1;
  const scene = new Scene(light);
  const render = RENDERERS[category] ?? giftBox;
  const product = render({ scene, rng, main, accents: rotated, variant });

  // "Angle": mirror, turn, scale and offset change per variant, never the product.
  // No rotation: a tilted object standing on the floor looks like it is falling.
  const flip = variant % 2 === 1 ? -1 : 1;
  // Fill ~60% of the frame height like a catalogue shot; the plinth takes part of it.
  const usePlinth = product.width / product.height < 0.9 && rng() < 0.45;
  const plinthH = usePlinth ? 100 : 0;
  const fit = Math.min(1.4, 900 / product.width, (720 - plinthH) / product.height);
  const scale = fit * range(vrng, 0.92, 1.02);
  // Narrowing the x scale reads as the object turned slightly away from the camera.
  const turn = [1, 0.92, 0.96, 0.88][variant]!;
  const dx = range(vrng, -40, 40);
  const plinthW = product.width * scale * turn + 90;
  const cx = SIZE / 2 + dx;
  const baseY = FLOOR_Y - plinthH;

  const bg = (l: number, ds = 0) => hex(hsl(bgHue, clamp(bgSat + ds, 0, 100), l));
  const spot = scene.radial([
    [0, '#ffffff', 0.55],
    [1, '#ffffff', 0],
  ]);
  const shadow = scene.radial([
    [0, '#000000', 0.38],
    [0.6, '#000000', 0.14],
    [1, '#000000', 0],
  ]);
  const shadowW = (usePlinth ? plinthW : product.width * scale * turn) * 0.62;
  const shadowX = cx - light * 40;

  const plinth = usePlinth
    ? `<rect x="${n(cx - plinthW / 2)}" y="${n(FLOOR_Y - plinthH)}" width="${n(plinthW)}" height="${plinthH}" fill="${scene.lit(
        hsl(bgHue, 8, range(rng, 82, 94)),
        8,
      )}"/><rect x="${n(cx - plinthW / 2)}" y="${n(FLOOR_Y - plinthH)}" width="${n(plinthW)}" height="12" fill="#ffffff" fill-opacity="0.5"/>` +
      `<ellipse cx="${n(cx)}" cy="${n(baseY + 2)}" rx="${n(product.width * scale * turn * 0.45)}" ry="10" fill="${shadow}"/>`
    : '';

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">` +
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="${bg(70, 5)}"/><stop offset="${n(HORIZON_Y / SIZE - 0.06)}" stop-color="${bg(90)}"/>` +
    `<stop offset="${n(HORIZON_Y / SIZE + 0.02)}" stop-color="${bg(86, -5)}"/><stop offset="1" stop-color="${bg(74)}"/>` +
    `</linearGradient>${scene.defs.join('')}</defs>` +
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>` +
    `<ellipse cx="${n(cx - light * 120)}" cy="480" rx="620" ry="520" fill="${spot}"/>` +
    `<ellipse cx="${n(shadowX)}" cy="${FLOOR_Y + 4}" rx="${n(shadowW)}" ry="${n(30 + shadowW * 0.06)}" fill="${shadow}"/>` +
    plinth +
    `<g transform="translate(${n(cx)} ${n(baseY)}) scale(${n(flip * scale * turn)} ${n(scale)})">${product.svg}</g>` +
    tag(opts.label, bgHue, (vrng() - 0.5) * 4) +
    `</svg>`
  );
}

/**
 * A deterministic 1200x1200 JPEG "studio shot" for a seed product. Same
 * options, same bytes (as long as sharp/librsvg and the fonts are the same).
 */
export async function renderProductShot(opts: ProductShotOptions): Promise<Buffer> {
  const svg = buildSvg(opts);
  return (
    sharp(Buffer.from(svg))
      // Plain libjpeg: mozjpeg would add ~75 ms per image, and seeded images go
      // through normalizeImage (mozjpeg) anyway. High quality limits generation loss.
      .jpeg({ quality: 90 })
      .toBuffer()
  );
}
