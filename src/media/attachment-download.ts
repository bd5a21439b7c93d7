// Downloads an image a member attached to a command, after checkAttachment accepted its metadata:
// through the guarded fetch (public addresses only, redirects re-checked), within the size cap (reading
// stops as soon as it is exceeded), and only when the bytes themselves are an image Midjourney reads
// (a .png that is really text is refused). The result is the data URL the servers take as an image
// (novicezk SubmitController.java L75-84 reads only data URLs).
import type { Logger } from '../log.js';
import { normalContentType, sniffImageType, type AttachmentInfo, type ImageContentType } from './attachment-check.js';
import { createGuardedFetch, refusalIn, type Resolver } from './guarded-fetch.js';

export interface AttachedImage {
  option: string;
  contentType: ImageContentType;
  bytes: number;
  /** data:<type>;base64,… */
  dataUrl: string;
}

export type AttachmentDownload =
  | { ok: true; image: AttachedImage }
  | {
      ok: false;
      reason: 'attachment_download_failed' | 'attachment_not_image' | 'attachment_too_large';
      option: string;
    };

export interface AttachmentDownloader {
  download(info: AttachmentInfo): Promise<AttachmentDownload>;
  close(): Promise<void>;
}

export interface AttachmentDownloaderOptions {
  maxBytes: number;
  /** Hosts exempt from the public-address rule (MEDIA_ALLOWED_HOSTS). */
  allowedHosts: ReadonlySet<string>;
  /** Whole download. Default 15 s: the member waits behind a deferred reply. */
  timeoutMs?: number;
  resolve?: Resolver;
  log?: Logger;
}

/** image/*, a generic binary type, or none: what an image download may declare (the bytes decide). */
function mayBeImage(header: string | null): boolean {
  const type = normalContentType(header);
  return (
    type === null || type.startsWith('image/') || type === 'application/octet-stream' || type === 'binary/octet-stream'
  );
}

export function createAttachmentDownloader(options: AttachmentDownloaderOptions): AttachmentDownloader {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const guarded = createGuardedFetch({
    allowedHosts: options.allowedHosts,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });

  async function download(info: AttachmentInfo): Promise<AttachmentDownload> {
    const { option } = info;
    const failed = (reason: Extract<AttachmentDownload, { ok: false }>['reason']): AttachmentDownload => ({
      ok: false,
      reason,
      option,
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const { res } = await guarded.get(new URL(info.url), {
        signal: controller.signal,
        headers: { accept: 'image/*' },
      });
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (!res.ok || !res.body) {
        controller.abort();
        options.log?.warn({ event: 'attachment.download_failed', status: res.status }, 'attachment download failed');
        return failed('attachment_download_failed');
      }
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        controller.abort();
        return failed('attachment_too_large');
      }
      // A page or a text where an image was expected (an error page served with 200, a link to a web
      // page) is refused before its body is read; the bytes of what remains are sniffed below.
      if (!mayBeImage(res.headers.get('content-type'))) {
        controller.abort();
        return failed('attachment_not_image');
      }
      const chunks: Buffer[] = [];
      let total = 0;
      // Past the cap the loop is left first and the request aborted after: aborting inside it makes the
      // stream's return() reject, which would read as a failed download instead of a too large one.
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        if (total > options.maxBytes) break;
        chunks.push(Buffer.from(chunk));
      }
      if (total > options.maxBytes) {
        controller.abort();
        return failed('attachment_too_large');
      }
      const data = Buffer.concat(chunks, total);
      const contentType = sniffImageType(data);
      if (contentType === null) return failed('attachment_not_image');
      return {
        ok: true,
        image: { option, contentType, bytes: total, dataUrl: `data:${contentType};base64,${data.toString('base64')}` },
      };
    } catch (err) {
      const refused = refusalIn(err);
      options.log?.warn(
        {
          event: 'attachment.download_failed',
          ...(refused ? { reason: refused.reason, host: refused.host } : { err }),
        },
        'attachment download failed',
      );
      return failed('attachment_download_failed');
    } finally {
      clearTimeout(timer);
    }
  }

  return { download, close: () => guarded.close() };
}
