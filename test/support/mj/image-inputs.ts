// Images a submit carries (imagine's base64Array, describe's base64, blend's base64Array), read as the
// servers read them. NZK's ConvertUtils.convertBase64Array takes data URLs only and a malformed one is
// code 4 "base64格式错误" (novicezk/midjourney-proxy controller/SubmitController.java L75-84); the fork's
// DataUrl.Parse also takes http(s) URLs (trueai-org/midjourney-proxy src/Midjourney.API/Dto/DataUrl.cs
// L83-96).
const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]+={0,2})$/;

export type ImageRead = { ok: true; images: string[] } | { ok: false; description: string };

export interface ImageInputRules {
  /** http(s) URLs are accepted besides data URLs (the fork). */
  acceptsUrls: boolean;
}

function readOne(value: unknown, rules: ImageInputRules): string | null {
  if (typeof value !== 'string') return null;
  if (DATA_URL.test(value)) return value;
  if (rules.acceptsUrls && /^https?:\/\/\S+$/.test(value)) return value;
  return null;
}

/** An absent or empty array reads as no images. */
export function readImageArray(raw: unknown, rules: ImageInputRules): ImageRead {
  if (raw === undefined || raw === null) return { ok: true, images: [] };
  if (!Array.isArray(raw)) return { ok: false, description: 'base64格式错误' };
  const images: string[] = [];
  for (const value of raw) {
    const image = readOne(value, rules);
    if (image === null) return { ok: false, description: 'base64格式错误' };
    images.push(image);
  }
  return { ok: true, images };
}

export function readImage(raw: unknown, rules: ImageInputRules): ImageRead {
  const image = readOne(raw, rules);
  return image === null ? { ok: false, description: 'base64格式错误' } : { ok: true, images: [image] };
}

/** A data URL's type and bytes, or null for anything else. */
export function dataUrlBytes(image: string | undefined): { type: string; bytes: Buffer } | null {
  const m = DATA_URL.exec(image ?? '');
  return m?.[1] && m[2] ? { type: m[1], bytes: Buffer.from(m[2], 'base64') } : null;
}

/** The type of a data URL (image/png …), or null for a URL. */
export function dataUrlType(image: string): string | null {
  return DATA_URL.exec(image)?.[1] ?? null;
}
