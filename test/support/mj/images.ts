// Tiny but valid image payloads for /images/…, generated in code. A PNG can be padded with an ancillary
// tEXt chunk to a requested size, so upload-limit tests get a real, decodable file of that size.
import { crc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHUNK_OVERHEAD = 12; // length + type + crc
const PAD_KEYWORD = Buffer.from('Comment\0', 'latin1');

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(CHUNK_OVERHEAD + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

/** An 8×8 RGBA PNG in a flat Midjourney-ish purple. */
function basePngParts(): { head: Buffer; tail: Buffer } {
  const size = 8;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(6, 9); // colour type RGBA
  const row = Buffer.alloc(1 + size * 4);
  for (let x = 0; x < size; x++) row.set([0x6a, 0x4c, 0x93, 0xff], 1 + x * 4);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  const head = Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw))]);
  return { head, tail: chunk('IEND', Buffer.alloc(0)) };
}

const PNG = basePngParts();
export const BASE_PNG: Buffer = Buffer.concat([PNG.head, PNG.tail]);

const paddedCache = new Map<number, Buffer>();

/** A valid PNG of exactly `bytes` bytes when that is at least BASE_PNG.length + 20, else the base PNG. */
export function pngOfSize(bytes?: number): Buffer {
  const fill = (bytes ?? 0) - BASE_PNG.length - CHUNK_OVERHEAD - PAD_KEYWORD.length;
  if (!bytes || fill < 0) return BASE_PNG;
  const cached = paddedCache.get(bytes);
  if (cached) return cached;
  const text = Buffer.alloc(PAD_KEYWORD.length + fill, 0x20);
  PAD_KEYWORD.copy(text, 0);
  const out = Buffer.concat([PNG.head, chunk('tEXt', text), PNG.tail]);
  if (paddedCache.size > 8) paddedCache.clear();
  paddedCache.set(bytes, out);
  return out;
}

/** A 1×1 lossless WebP (RIFF/WEBP/VP8L), for progress previews. */
export const TINY_WEBP: Buffer = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** The smallest ISO-BMFF file players recognise: an ftyp box (isom) and an empty mdat, for video results. */
export const TINY_MP4: Buffer = Buffer.concat([
  Buffer.from([0, 0, 0, 24]),
  Buffer.from('ftypisom', 'latin1'),
  Buffer.from([0, 0, 2, 0]),
  Buffer.from('isommp41', 'latin1'),
  Buffer.from([0, 0, 0, 8]),
  Buffer.from('mdat', 'latin1'),
]);

/** TINY_MP4 with its mdat box grown to make the file `bytes` long (upload-limit tests); TINY_MP4 when unset. */
export function mp4OfSize(bytes: number | undefined): Buffer {
  if (bytes === undefined || bytes <= TINY_MP4.length) return TINY_MP4;
  const mdat = Buffer.alloc(bytes - 24);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([TINY_MP4.subarray(0, 24), mdat]);
}
