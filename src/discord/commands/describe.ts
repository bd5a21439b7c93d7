// /describe image:<attachment> | url:<link> [speed] [model]: one image, checked like /imagine's (an
// attachment from its metadata, a link for its scheme), downloaded after the guards and sent as the
// data URL every server reads (/submit/describe {base64}). The result's 1️⃣–4️⃣ imagine its prompts: the
// server's own buttons where they work, else the bot's (src/mj/capabilities.ts).
import type { ChatInputCommandInteraction } from 'discord.js';
import type { AttachmentInfo } from '../../media/attachment-check.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { submitNewTask } from '../../submit/new-task.js';
import { inputRefusal, readAttachments, readChoices } from './new-task-options.js';

/** The `url` option as an image to download: http(s) only; the download's own guards do the rest. */
function linkedImage(raw: string): AttachmentInfo {
  let url: URL | null = null;
  try {
    url = new URL(raw.trim());
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '')
    throw inputRefusal({ reason: 'image_url_invalid', option: 'url' });
  return { option: 'url', filename: '', url: url.href, contentType: null, size: 0 };
}

export async function runDescribe(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const choices = readChoices(interaction, deps);
  const attached = readAttachments(interaction, deps, ['image']);
  const link = interaction.options.getString('url');
  if (attached.length + (link === null ? 0 : 1) !== 1) throw inputRefusal({ reason: 'one_image_needed' });
  const image = attached[0] ?? linkedImage(link ?? '');
  await submitNewTask(interaction, deps, {
    label: 'command.name_describe',
    fallbackPrompt: '',
    action: 'DESCRIBE',
    attachments: [image],
    request: ([base64], callbacks, speed) =>
      deps.mj.submitDescribe({ base64: base64 ?? '', ...speed.choices(choices), ...callbacks }),
  });
}
