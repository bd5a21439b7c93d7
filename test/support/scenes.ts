// What members see, as scenes for `npm run screenshots` (scripts/screenshots/run.ts) and
// test/e2e/screenshot-scenes.test.ts: each scene runs the real bot against the stand-ins, drives it
// the way Discord would, and returns the Discord messages (and pop-up form) to draw, exactly as the
// Discord stand-in recorded them. Adding a screenshot is one entry in SCENES (see README, Screenshots).
import type { Harness, HarnessOptions } from './harness.js';
import type { DispatchedInteraction, JsonObject, StoredMessage } from './discord/index.js';
import { defaultGuildSpec } from './discord/world.js';
import { picturePng } from './mj/pictures.js';
import {
  FAST_BUCKET,
  FAST_BUDGET,
  GUARDS_OFF,
  imagine,
  resultsOf,
  taskIdOf,
  type StartedTask,
} from './tracking-e2e.js';

const FLAG_LOADING = 128;
const FLAG_EPHEMERAL = 64;

/** What one screenshot shows: channel messages oldest first, and a pop-up form drawn over them. */
export interface SceneView {
  messages: StoredMessage[];
  /** The `data` of a type 9 (MODAL) interaction response. */
  modal?: JsonObject;
}

export interface Scene {
  /** docs/screenshots/<name>.png */
  name: string;
  /** Alt text in the README: what a member is looking at. */
  caption: string;
  /** Merged over SCENE_HARNESS (e.g. `env: { … }` for a setting, `dialect`). */
  harness?: HarnessOptions;
  /** The page's language (its lang attribute picks the CJK font), e.g. 'zh-CN'. Default 'en'. */
  lang?: string;
  run(h: Harness): Promise<SceneView>;
}

/**
 * Every scene runs against the trueai-org fork (the server that says the most: speed mode, model),
 * with painted pictures, guards off, on the manual Midjourney clock.
 */
export const SCENE_HARNESS: HarnessOptions = {
  dialect: 'fork',
  mj: { pictures: true },
  env: { ...GUARDS_OFF },
  discord: { editBucket: FAST_BUCKET },
  channelBudget: FAST_BUDGET,
};

/** The harness a scene runs on: SCENE_HARNESS with the scene's own options on top. */
export function sceneHarness(scene: Pick<Scene, 'harness'>): HarnessOptions {
  const own = scene.harness ?? {};
  return {
    ...SCENE_HARNESS,
    ...own,
    mj: { ...SCENE_HARNESS.mj, ...own.mj },
    env: { ...SCENE_HARNESS.env, ...own.env },
    discord: { ...SCENE_HARNESS.discord, ...own.discord },
  };
}

/** The default timeline (stand-in task-view.ts): 2 s queued, then 7 steps of 2 s, 0 → 93 %. */
const TO_46_PERCENT_MS = 9_000;
const TO_DONE_MS = 20_000;

export const PROMPT = 'a lighthouse on a cliff at dusk, oil painting --ar 1:1';

/** The message `id` once `ready` holds for it, re-read on every change the stand-in records. */
function waitForMessage(
  h: Harness,
  channelId: string,
  id: string,
  ready: (m: StoredMessage) => boolean,
  what: string,
): Promise<StoredMessage> {
  return h.discord.waitFor(
    () => {
      const m = h.discord.message(channelId, id);
      return m && ready(m) ? m : null;
    },
    10_000,
    what,
  );
}

/** /imagine as the member, and the task's progress message at 46 %. */
export async function progressAt46(h: Harness, prompt = PROMPT): Promise<StartedTask & { progress: StoredMessage }> {
  const started = await imagine(h, prompt);
  h.mj.clock.advance(TO_46_PERCENT_MS);
  const progress = await waitForMessage(
    h,
    started.channelId,
    started.progressId,
    (m) => m.content.includes('(46%)') && m.embeds.some((e) => e.image !== undefined),
    'the progress message at 46 %',
  );
  return { ...started, progress };
}

/** The finished result of a started task (its image uploaded). */
export async function resultOf(h: Harness, task: Pick<StartedTask, 'taskId' | 'channelId' | 'progressId'>) {
  h.mj.clock.advance(TO_DONE_MS);
  return h.discord.waitFor(
    () => resultsOf(h, task).find((m) => m.attachments.length > 0 && m.components.length > 0),
    10_000,
    `the result of ${task.taskId}`,
  );
}

/** custom_id of the button on `message` whose id contains `fragment`. */
export function buttonWith(message: StoredMessage, fragment: string): string {
  for (const row of message.components)
    for (const b of (row.components as Array<{ custom_id?: string }> | undefined) ?? [])
      if (b.custom_id?.includes(fragment)) return b.custom_id;
  throw new Error(`no button ${fragment} on message ${message.id}`);
}

/**
 * The member's final answer to an interaction (not "thinking…", and the bot's handler is over): its
 * last private follow-up, else the reply. A public follow-up is the task's progress message.
 */
export async function answerTo(h: Harness, interaction: DispatchedInteraction): Promise<StoredMessage> {
  const answer = () => {
    const view = h.discord.interactionResponses(interaction.id);
    const last = view.followUps.filter((m) => (m.flags & FLAG_EPHEMERAL) !== 0).at(-1) ?? view.original;
    return last && (last.flags & FLAG_LOADING) === 0 ? last : null;
  };
  await h.discord.waitFor(answer, 10_000, `the answer to interaction ${interaction.id}`);
  await h.bot.handled(interaction.id);
  return answer()!;
}

/** The task a private answer links to ("following it in …"): its progress message and id. */
export function followedBy(answer: StoredMessage): Pick<StartedTask, 'channelId' | 'progressId'> | null {
  const link = /https:\/\/discord\.com\/channels\/\d+\/(\d+)\/(\d+)/.exec(answer.content);
  return link ? { channelId: link[1] ?? '', progressId: link[2] ?? '' } : null;
}

/** The finished result of the task an interaction's answer follows; `meanwhile` runs before it finishes. */
async function resultAfter(
  h: Harness,
  interaction: DispatchedInteraction,
  what: string,
  meanwhile: (taskId: string) => void = () => undefined,
): Promise<StoredMessage> {
  const answer = await answerTo(h, interaction);
  const followed = followedBy(answer);
  const taskId = followed && taskIdOf(h.discord.message(followed.channelId, followed.progressId));
  if (!followed || !taskId) throw new Error(`${what} was not followed: ${answer.content}`);
  meanwhile(taskId);
  return resultOf(h, { ...followed, taskId });
}

/** Clicks U`n` on a grid result and returns the finished upscale. */
export function upscale(h: Harness, grid: StoredMessage, n: number): Promise<StoredMessage> {
  const click = h.discord.clickButton({
    channelId: grid.channel_id,
    messageId: grid.id,
    customId: buttonWith(grid, `::upsample::${n}::`),
  });
  return resultAfter(h, click, `the U${n} click`);
}

/** Four prompts as Midjourney's /describe words them (the stand-in's own read "a picture, take n"). */
const DESCRIBED = [
  'a lighthouse on a rocky cliff at sunset, in the style of romantic seascapes, warm orange and deep blue --ar 1:1',
  'an oil painting of a coastal lighthouse at dusk, thick impasto brushwork, glowing sky, dramatic waves --ar 1:1',
  'lighthouse overlooking the sea, golden hour, painterly texture, muted teal and amber palette --ar 1:1',
  'a solitary lighthouse above crashing waves, evening light, classical landscape painting --ar 1:1',
]
  .map((p, i) => `${i + 1}\uFE0F\u20E3 ${p}`)
  .join('\n\n');

export const SCENES: Scene[] = [
  {
    name: 'progress',
    caption: 'A task running: the prompt, who asked, 46 % and the speed mode, with the preview',
    async run(h) {
      const { progress } = await progressAt46(h);
      return { messages: [progress] };
    },
  },
  {
    name: 'result',
    caption: 'The finished grid, full size, with U1–U4, re-roll and V1–V4',
    async run(h) {
      const task = await progressAt46(h);
      return { messages: [await resultOf(h, task)] };
    },
  },
  {
    name: 'upscale',
    caption: 'An upscale of image #2, with its zoom, pan and vary buttons',
    async run(h) {
      const grid = await resultOf(h, await imagine(h, PROMPT));
      return { messages: [await upscale(h, grid, 2)] };
    },
  },
  {
    name: 'describe',
    caption:
      'A Describe result: the image, its four prompts numbered, 1️⃣–4️⃣ to imagine one, 🔄 to describe it again, 🎉 Imagine all',
    async run(h) {
      const image = { filename: 'lighthouse.png', bytes: picturePng({ prompt: PROMPT, tile: 2 }) };
      const asked = h.discord.slashCommand({ name: 'describe', options: { image } });
      // The fork keeps the four prompts in finalPrompt and promptEn (DiscordWebSocketService.cs L2632-2647).
      const result = await resultAfter(h, asked, '/describe', (taskId) =>
        h.mj.setTask(taskId, { promptEn: DESCRIBED, properties: { finalPrompt: DESCRIBED } }),
      );
      return { messages: [result] };
    },
  },
  {
    name: 'error',
    caption: 'A mistyped task id: one private sentence, no public "thinking…"',
    async run(h) {
      const asked = h.discord.slashCommand({ name: 'mjtask', options: { id: '1767225600123' } });
      return { messages: [await answerTo(h, asked)] };
    },
  },
  {
    name: 'custom-zoom',
    caption: 'Custom Zoom asks for the new prompt in a form, prefilled with --zoom 2',
    async run(h) {
      const grid = await resultOf(h, await imagine(h, PROMPT));
      const upscaled = await upscale(h, grid, 2);
      const click = h.discord.clickButton({
        channelId: upscaled.channel_id,
        messageId: upscaled.id,
        customId: buttonWith(upscaled, 'MJ::CustomZoom::'),
      });
      const view = await h.discord.waitFor(
        () => h.discord.interactionResponses(click.id).modal,
        10_000,
        'the Custom Zoom form',
      );
      return { messages: [upscaled], modal: view };
    },
  },
  {
    name: 'zh-cn',
    caption: 'A server in Simplified Chinese: the grid, a member’s U2 answered privately in Chinese, the upscale',
    // Discord's guild_locale zh-CN: channel messages in Chinese without any setting.
    harness: { discord: { guilds: [{ ...defaultGuildSpec(), locale: 'zh-CN' }] } },
    lang: 'zh-CN',
    async run(h) {
      const grid = await resultOf(h, await imagine(h, PROMPT));
      const click = h.discord.clickButton({
        channelId: grid.channel_id,
        messageId: grid.id,
        customId: buttonWith(grid, '::upsample::2::'),
        locale: 'zh-CN',
      });
      const answer = await answerTo(h, click);
      const followed = followedBy(answer);
      const taskId = followed && taskIdOf(h.discord.message(followed.channelId, followed.progressId));
      if (!followed || !taskId) throw new Error(`the U2 click was not followed: ${answer.content}`);
      const upscaled = await resultOf(h, { ...followed, taskId });
      return { messages: [grid, answer, upscaled] };
    },
  },
];
