// Pure facts the task message shows beyond its prompt and status: the model line (bot, version, mode,
// seed) and the video of a video task, and the task with every shown string redacted.
import { ENGLISH, type Translate } from '../i18n/index.js';
import type { MjTask } from '../mj/schema.js';

/**
 * What the server knows of how the task ran beyond the content line (which already says the speed
 * mode), as Midjourney words it: "niji・journey niji 6 · seed 1234". Only the fork sends these
 * (trueai-org/midjourney-proxy src/Midjourney.Base/Models/TaskInfo.cs: botType L118, seed L386,
 * version L609); other servers show no field.
 */
export function modelLine(task: MjTask, t: Translate = ENGLISH): string {
  const niji = task.botType === 'NIJI_JOURNEY' || /^niji\b/i.test(task.version ?? '');
  const bot = task.botType !== null || task.version !== null ? (niji ? 'niji・journey' : 'Midjourney') : '';
  const head = [bot, task.version ?? ''].filter((p) => p !== '').join(' ');
  return [head, seedOf(task, t)].filter((p) => p !== '').join(' · ');
}

/** "seed 1234" when the server knows the seed, else ''. */
export function seedOf(task: MjTask, t: Translate = ENGLISH): string {
  return task.seed !== null && /^\d{1,20}$/.test(task.seed) ? t('task.seed', { seed: task.seed }) : '';
}

/** The video of a finished video task (the fork's videoUrl, else its first videoUrls entry), and its thumbnail. */
export function videoOf(task: MjTask): { url: string; thumbnail: string | null } | null {
  const first = task.videoUrls[0];
  if (task.videoUrl !== null) return { url: task.videoUrl, thumbnail: first?.thumbnail ?? null };
  return first ?? null;
}

/**
 * The task with every string the renderer shows redacted, before anything cuts it. The id and the
 * buttons' customIds stay as they are (custom_ids must round-trip; the seam redacts them if need be).
 */
export function redactedTask(task: MjTask, redact: (text: string) => string): MjTask {
  const finalPrompt = task.properties['finalPrompt'];
  return {
    ...task,
    action: redact(task.action),
    status: redact(task.status),
    prompt: redact(task.prompt),
    promptEn: redact(task.promptEn),
    description: redact(task.description),
    failReason: redact(task.failReason),
    properties: typeof finalPrompt === 'string' ? { ...task.properties, finalPrompt: redact(finalPrompt) } : {},
    buttons: task.buttons.map((b) => ({ ...b, label: redact(b.label) })),
    imageUrl: task.imageUrl === null ? null : redact(task.imageUrl),
    seed: task.seed === null ? null : redact(task.seed),
    mode: task.mode === null ? null : redact(task.mode),
    botType: task.botType === null ? null : redact(task.botType),
    version: task.version === null ? null : redact(task.version),
    videoUrl: task.videoUrl === null ? null : redact(task.videoUrl),
    videoUrls: task.videoUrls.map((v) => ({
      url: redact(v.url),
      thumbnail: v.thumbnail === null ? null : redact(v.thumbnail),
    })),
  };
}
