// Real little pictures for the stand-in's /images/… when `pictures` is on (npm run screenshots): a 2×2
// grid of painted landscapes for a grid task, one of them full size for its upscale (the same tile the
// member picked), and the grid still blurry while it runs. Deterministic: the same prompt gives the
// same picture, so screenshots only change when what the bot sends changes.
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 512;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Rgb = [number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

/** An RGB PNG of `pixels` (width × height × 3), every row filtered "Up" (smooth skies compress well). */
export function encodePng(pixels: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (stride + 1);
    raw[at] = 2;
    for (let i = 0; i < stride; i++) {
      const above = y === 0 ? 0 : (pixels[(y - 1) * stride + i] ?? 0);
      raw[at + 1 + i] = ((pixels[y * stride + i] ?? 0) - above) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Numbers in [0, 1) drawn from a text, the same every run. */
function randomFrom(text: string): () => number {
  let state = createHash('sha256').update(text).digest().readUInt32BE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];

/** One landscape: a sky, a sun, three ridges of hills and a lake. Coordinates in [0, 1). */
interface Landscape {
  sky: [Rgb, Rgb];
  sun: { x: number; y: number; r: number; color: Rgb };
  ridges: Array<{ base: number; amp: number; freq: number; phase: number; color: Rgb }>;
  lake: number;
}

/** Skies Midjourney likes: dusk orange, evening violet, clear blue, teal morning (hue of top, hue of horizon). */
const SKIES: Array<[number, number]> = [
  [230, 28],
  [265, 330],
  [210, 195],
  [185, 45],
];

function landscape(seed: string): Landscape {
  const rnd = randomFrom(seed);
  const [top, horizon] = SKIES[Math.floor(rnd() * SKIES.length)] ?? [210, 195];
  const ridges = [0, 1, 2].map((i) => ({
    base: 0.5 + i * 0.1,
    amp: 0.05 + rnd() * 0.09,
    freq: 1.5 + rnd() * 4,
    phase: rnd() * Math.PI * 2,
    color: hsl((top + 10 * i) % 360, 0.3 - i * 0.05, 0.38 - i * 0.1),
  }));
  return {
    sky: [hsl(top, 0.55, 0.28), hsl(horizon, 0.8, 0.7)],
    sun: { x: 0.2 + rnd() * 0.6, y: 0.22 + rnd() * 0.18, r: 0.05 + rnd() * 0.04, color: hsl(40, 1, 0.85) },
    ridges,
    lake: 0.82 + rnd() * 0.06,
  };
}

function colorAt(l: Landscape, x: number, y: number): Rgb {
  if (y > l.lake) {
    // The lake mirrors the sky above the horizon, darker and rippled.
    const mirrored = Math.min(l.lake - 1e-6, l.lake - (y - l.lake) * 2.5 + Math.sin(y * 300) * 0.004);
    return mix(colorAt(l, x, Math.max(0, mirrored)), [20, 30, 50], 0.35);
  }
  for (let i = l.ridges.length - 1; i >= 0; i--) {
    const r = l.ridges[i]!;
    const top = r.base - r.amp * (Math.sin(x * r.freq * Math.PI + r.phase) * 0.6 + Math.sin(x * r.freq * 7.3) * 0.15);
    if (y >= top) return mix(r.color, [10, 10, 20], Math.min(1, (y - top) * 1.5));
  }
  const sky = mix(l.sky[0], l.sky[1], Math.min(1, y / l.ridges[0]!.base));
  const d = Math.hypot(x - l.sun.x, y - l.sun.y);
  if (d < l.sun.r) return l.sun.color;
  return mix(sky, l.sun.color, Math.max(0, 0.5 - (d - l.sun.r) * 3));
}

function paint(pixels: Uint8Array, l: Landscape, x0: number, y0: number, size: number): void {
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = colorAt(l, x / size, y / size);
      const at = ((y0 + y) * SIZE + x0 + x) * 3;
      pixels[at] = c[0];
      pixels[at + 1] = c[1];
      pixels[at + 2] = c[2];
    }
  }
}

/** The grid of `prompt`: four landscapes, #1 top left to #4 bottom right, as Midjourney numbers them. */
function gridPixels(prompt: string): Uint8Array {
  const pixels = new Uint8Array(SIZE * SIZE * 3);
  const half = SIZE / 2;
  for (let n = 0; n < 4; n++)
    paint(pixels, landscape(`${prompt}#${n + 1}`), (n % 2) * half, Math.floor(n / 2) * half, half);
  return pixels;
}

/** Blocky and washed out, less so as the task goes on, like Midjourney's previews. */
function blurred(pixels: Uint8Array, percent: number): Uint8Array {
  const block = Math.max(2, Math.round(48 * (1 - percent / 100)));
  const out = new Uint8Array(pixels.length);
  for (let by = 0; by < SIZE; by += block) {
    for (let bx = 0; bx < SIZE; bx += block) {
      const src = (Math.min(SIZE - 1, by + (block >> 1)) * SIZE + Math.min(SIZE - 1, bx + (block >> 1))) * 3;
      for (let y = by; y < Math.min(SIZE, by + block); y++) {
        for (let x = bx; x < Math.min(SIZE, bx + block); x++) {
          for (let c = 0; c < 3; c++) out[(y * SIZE + x) * 3 + c] = (pixels[src + c]! * 0.7 + 128 * 0.3) | 0;
        }
      }
    }
  }
  return out;
}

/** What a task's image looks like: `tile` 1–4 for an upscale of that grid image, else its grid. */
export interface PictureRequest {
  /** The prompt of the grid (for an upscale, its parent's). */
  prompt: string;
  tile?: number;
  /** A preview while running, at this percentage. */
  progress?: number;
}

const cache = new Map<string, Buffer>();

export function picturePng(request: PictureRequest): Buffer {
  const key = JSON.stringify(request);
  const cached = cache.get(key);
  if (cached) return cached;
  let pixels: Uint8Array;
  if (request.tile !== undefined) {
    pixels = new Uint8Array(SIZE * SIZE * 3);
    paint(pixels, landscape(`${request.prompt}#${request.tile}`), 0, 0, SIZE);
  } else {
    pixels = gridPixels(request.prompt);
  }
  if (request.progress !== undefined) pixels = blurred(pixels, request.progress);
  const png = encodePng(pixels, SIZE, SIZE);
  if (cache.size > 32) cache.clear();
  cache.set(key, png);
  return png;
}
