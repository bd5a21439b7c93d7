// The images a paid entry sends, downloaded only after its guards passed (a refused member costs no
// download): the attachments of /imagine, /describe and /blend, and the image a Describe's 🔄 describes
// again. A download that fails is the member's refusal; nothing was sent to the API.
import type { AttachmentInfo } from '../media/attachment-check.js';
import type { AttachmentDownload } from '../media/attachment-download.js';
import type { NewTaskInputProblem } from '../replies/reasons.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import type { HandlerDeps } from './deps.js';

type DownloadFailure = Extract<AttachmentDownload, { ok: false }>;

/** Every attachment as a data URL (same order), or the first one's problem as the member's refusal. */
export async function downloadAll(deps: HandlerDeps, attachments: readonly AttachmentInfo[]): Promise<string[]> {
  const results = await Promise.all(attachments.map((a) => deps.attachments.download(a)));
  return results.map((result) => {
    if (result.ok) return result.image.dataUrl;
    const problem = downloadProblem(result, deps.config.media.attachmentMaxBytes);
    throw new UserFacingError({ reason: 'new_task_input', problem });
  });
}

/** What the member is told of a failed download (worded in replies/new-task.ts). Pure. */
export function downloadProblem(failure: DownloadFailure, maxBytes: number): NewTaskInputProblem {
  const { option } = failure;
  if (failure.reason === 'attachment_not_image') return { reason: 'attachment_bytes_not_image', option };
  if (failure.reason === 'attachment_too_large') return { reason: 'attachment_bytes_too_large', option, maxBytes };
  return { reason: 'attachment_download_failed', option };
}

/**
 * The image a finished task shows, as a data URL, through the same checked download (public addresses
 * only, the size cap, the bytes sniffed): the task's imageUrl is what the server kept of the image it
 * was given. Unusable or gone: the member is told the image cannot be had again.
 */
export async function downloadTaskImage(deps: HandlerDeps, imageUrl: string | null): Promise<string> {
  const refusal = () =>
    new UserFacingError({ reason: 'new_task_input', problem: { reason: 'task_image_unavailable' } });
  if (imageUrl === null || !/^https?:\/\//i.test(imageUrl)) throw refusal();
  const result = await deps.attachments.download({
    option: 'image',
    filename: '',
    url: imageUrl,
    contentType: null,
    size: 0,
  });
  if (!result.ok) throw refusal();
  return result.image.dataUrl;
}
