// Shared steps of the new-task e2e files (/imagine with images, /describe, /blend): attachments as a
// Discord client uploads them, a command run as a member, and the progress → result it starts.
import type { AttachmentUpload, StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { pngOfSize } from '../support/mj/index.js';
import { resultsOf } from '../support/tracking-e2e.js';
import { answerOf, followedFrom, type ClickAnswer } from './support-clicks.js';

export const png = (filename = 'photo.png', bytes = 2_000): AttachmentUpload => ({ filename, bytes: pngOfSize(bytes) });
/** A JPEG as far as its first bytes tell (the bot sniffs them; nobody decodes the rest). */
export const jpeg = (filename = 'photo.jpg'): AttachmentUpload => ({
  filename,
  bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(600, 7)]),
});
export const dataUrlOf = (upload: AttachmentUpload, type: string) =>
  `data:${type};base64,${upload.bytes.toString('base64')}`;

/** Runs /<name> with these options as `user` and waits for its (private) final answer. */
export function runCommand(
  h: Harness,
  name: string,
  options: Record<string, string | number | boolean | AttachmentUpload>,
  user?: string,
): Promise<ClickAnswer> {
  const interaction = h.discord.slashCommand({ name, options, ...(user ? { user } : {}) });
  return answerOf(h, interaction.id);
}

/** Submits the bot sent to this route since `since` (index into mj.requests). */
export function bodiesOf(h: Harness, route: string, since = 0): Array<Record<string, unknown>> {
  return h.mj.requests
    .slice(since)
    .filter((r) => r.route === route)
    .map((r) => r.body as Record<string, unknown>);
}

/** Every paid submit since `since`, whatever the route. */
export const submitsSince = (h: Harness, since: number) =>
  h.mj.requests.slice(since).filter((r) => r.method === 'POST' && /\/submit\//.test(r.path));

/** The result message the answer's progress message ends in (the stand-in clock is moved to its end). */
export async function resultFrom(h: Harness, answerText: string, advanceMs = 60_000): Promise<StoredMessage> {
  const progress = followedFrom(h, answerText);
  h.mj.clock.advance(advanceMs);
  const [result] = await h.discord.waitFor(
    () => {
      const posts = resultsOf(h, {
        taskId: progress.taskId,
        channelId: progress.channelId,
        progressId: progress.messageId,
      });
      return posts.length > 0 ? posts : null;
    },
    5_000,
    `the result of ${progress.taskId}`,
  );
  return result!;
}
