// Pure: may an image a member attached to a command be used, judged from what Discord tells of it
// (the interaction's resolved attachment) before a byte is downloaded or a cent is paid. Only Discord's
// CDN (a command attachment always lives there; anything else would be a crafted interaction), only the
// image types Midjourney reads, only up to ATTACHMENT_MAX_MB.

export { DISCORD_CDN_ORIGINS } from '../config/schema.js';

/** The types Midjourney takes as image prompts (its own upload accepts png, jpeg, webp and gif). */
export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** A resolved attachment as the handlers read it from discord.js. */
export interface AttachmentInfo {
  /** The option's name (image1, image…), for the member's sentence. */
  option: string;
  filename: string;
  url: string;
  contentType: string | null;
  size: number;
}

export interface AttachmentRules {
  maxBytes: number;
  /** Origins (scheme://host[:port]) an attachment may be downloaded from. */
  origins: readonly string[];
}

export type AttachmentProblem =
  | { reason: 'attachment_not_image'; option: string; filename: string; contentType: string | null }
  | { reason: 'attachment_too_large'; option: string; filename: string; size: number; maxBytes: number }
  | { reason: 'attachment_not_on_cdn'; option: string; filename: string };

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** `image/jpeg; charset=…` → `image/jpeg`; Discord also says `image/jpg` for some uploads. */
export function normalContentType(contentType: string | null): string | null {
  const base = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (base === '') return null;
  return base === 'image/jpg' ? 'image/jpeg' : base;
}

export function isImageContentType(contentType: string | null): contentType is ImageContentType {
  return (IMAGE_CONTENT_TYPES as readonly string[]).includes(contentType ?? '');
}

/** The first reason this attachment cannot be used, or null when it may be downloaded. */
export function checkAttachment(info: AttachmentInfo, rules: AttachmentRules): AttachmentProblem | null {
  const { option, filename } = info;
  const origin = originOf(info.url);
  if (origin === null || !rules.origins.includes(origin)) return { reason: 'attachment_not_on_cdn', option, filename };
  const contentType = normalContentType(info.contentType);
  if (!isImageContentType(contentType)) return { reason: 'attachment_not_image', option, filename, contentType };
  if (!Number.isFinite(info.size) || info.size <= 0 || info.size > rules.maxBytes)
    return { reason: 'attachment_too_large', option, filename, size: info.size, maxBytes: rules.maxBytes };
  return null;
}

/** Checks every attachment in order; the first problem is the member's answer. */
export function firstAttachmentProblem(
  infos: readonly AttachmentInfo[],
  rules: AttachmentRules,
): AttachmentProblem | null {
  for (const info of infos) {
    const problem = checkAttachment(info, rules);
    if (problem) return problem;
  }
  return null;
}

/** The type the bytes themselves say (magic numbers), whatever the name or header claimed. */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  const at = (i: number) => bytes[i] ?? -1;
  const ascii = (from: number, text: string) => [...text].every((c, i) => at(from + i) === c.charCodeAt(0));
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'image/png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return null;
}
