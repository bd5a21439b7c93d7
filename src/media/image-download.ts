// Downloads a finished task's image (or a video task's mp4) once, so the result message carries the
// file itself: Discord CDN links in `imageUrl` expire after 24 h and aggregator image routes break with
// them. Only http(s), only image/* answers (video/* for a video), only public addresses
// (./guarded-fetch.ts, redirects re-checked hop by hop), and a size cap (the upload limit) that stops
// reading as soon as it is exceeded. Every failure is `null`: the caller then links the URL instead.
import type { Logger } from '../log.js';
import { createGuardedFetch, refusalIn, type Resolver } from './guarded-fetch.js';

export interface DownloadedImage {
  /** A safe attachment name ([A-Za-z0-9._-], ≤ 100 chars) whose extension matches the content type. */
  name: string;
  contentType: string;
  data: Buffer;
}

export interface ImageDownloaderOptions {
  /** Largest accepted body. Default: Discord's 10 MiB upload limit minus 1 KiB for the JSON payload. */
  maxBytes?: number;
  /** Whole download, headers and body. Default 20 s. */
  timeoutMs?: number;
  /** Hosts exempt from the public-address rule (MEDIA_ALLOWED_HOSTS), normalized. Default none. */
  allowedHosts?: ReadonlySet<string>;
  /** Redirect hops followed, each checked again. Default 3. */
  maxRedirects?: number;
  /** DNS for the address check; the system resolver by default (tests inject a table). */
  resolve?: Resolver;
  /** Where refused downloads are reported (host and reason only). */
  log?: Logger;
}

/** What a download must be: a picture, or a video (the fork's videoUrl). */
export type MediaKind = 'image' | 'video';

export interface ImageDownloader {
  download(url: string, kind?: MediaKind): Promise<DownloadedImage | null>;
}

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024 - 1024;

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'video/quicktime': 'mov',
};

/** `<url basename>.<ext>`, reduced to characters every Discord client accepts in `attachment://`. */
export function attachmentName(url: URL, contentType: string): string {
  const ext =
    EXTENSIONS[contentType] ?? ((contentType.split('/')[1] ?? '').replace(/[^a-z0-9]/g, '').slice(0, 8) || 'img');
  const last = decodeSafely(url.pathname.split('/').pop() ?? '');
  const base = last
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, 80);
  return `${base === '' ? 'image' : base}.${ext}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function createImageDownloader(options: ImageDownloaderOptions = {}): ImageDownloader {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const guarded = createGuardedFetch({
    allowedHosts: options.allowedHosts ?? new Set(),
    ...(options.maxRedirects !== undefined ? { maxRedirects: options.maxRedirects } : {}),
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });

  return {
    async download(url, kind = 'image') {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return null;
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;

      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const { res } = await guarded.get(parsed, {
          signal: controller.signal,
          headers: { accept: `${kind}/*` },
        });
        const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const declared = Number(res.headers.get('content-length') ?? NaN);
        if (
          !res.ok ||
          !contentType.startsWith(`${kind}/`) ||
          (Number.isFinite(declared) && declared > maxBytes) ||
          !res.body
        ) {
          // Abort rather than drain: the body may be large and is not wanted.
          controller.abort();
          return null;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          total += chunk.byteLength;
          if (total > maxBytes) {
            controller.abort();
            return null;
          }
          chunks.push(Buffer.from(chunk));
        }
        if (total === 0) return null;
        return { name: attachmentName(parsed, contentType), contentType, data: Buffer.concat(chunks, total) };
      } catch (err) {
        const refused = refusalIn(err);
        if (refused)
          options.log?.warn(
            { event: 'media.refused', reason: refused.reason, host: refused.host },
            'image download refused (only public addresses, at most a few redirects; MEDIA_ALLOWED_HOSTS lists exceptions)',
          );
        return null;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
