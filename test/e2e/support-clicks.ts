// Shared steps of the click e2e files (test/e2e/clicks-*.test.ts): put a finished task on screen, click
// one of its buttons as a member, and read the bot's answer — always checking the 3 s acknowledgement.
import { ButtonStyle, InteractionResponseType } from 'discord-api-types/v10';
import { expect } from 'vitest';
import { deriveStateKey, parseSubmitState, submitState as signedState } from '../../src/mj/submit-state.js';
import type { InteractionResponseView, StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { TaskSeed } from '../support/mj/index.js';
import { taskIdOf } from '../support/tracking-e2e.js';

const DISCORD_EPOCH = 1_420_070_400_000n;
const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;
const LINK = /https:\/\/discord\.com\/channels\/\d+\/(\d+)\/(\d+)/;

/** When Discord created the interaction: the timestamp inside its snowflake id (stand-in clock). */
export function createdAt(interactionId: string): number {
  return Number((BigInt(interactionId) >> 22n) + DISCORD_EPOCH);
}

/** Waits for the first response and asserts it came within Discord's 3 s (callbackAt − created). */
export async function expectAckInTime(h: Harness, interactionId: string): Promise<InteractionResponseView> {
  const view = await h.discord.waitForResponse(interactionId, 5_000);
  expect(view.callbackAt, 'the interaction was acknowledged').not.toBeNull();
  expect(view.callbackAt! - createdAt(interactionId), 'acknowledged within 3 s').toBeLessThan(3_000);
  return view;
}

/** A task message on screen: where it is and the task it shows. */
export interface Shown {
  channelId: string;
  messageId: string;
  taskId: string;
}

/** Where a /mjtask runs and who runs it (defaults: the plain member in the default server's channel). */
export interface MjtaskPlace {
  user?: string;
  guildId?: string;
  channelId?: string;
}

/**
 * A finished task (new, a raw fixture, or one the stand-in already has) shown by /mjtask (run by `user`, default the plain member). The
 * reply carries the task's buttons and says in its metadata who asked, as after any real /mjtask.
 */
export function showFinishedTask(
  h: Harness,
  seed: TaskSeed | { raw: Record<string, unknown> } | { existingId: string },
  user?: string,
): Promise<Shown> {
  return showFinishedTaskIn(h, seed, user ? { user } : {});
}

/** showFinishedTask run `where` (another server or channel: a cluster's other shard). */
export async function showFinishedTaskIn(
  h: Harness,
  seed: TaskSeed | { raw: Record<string, unknown> } | { existingId: string },
  where: MjtaskPlace,
): Promise<Shown> {
  const taskId =
    'existingId' in seed
      ? seed.existingId
      : 'raw' in seed
        ? h.mj.addRawTask(seed.raw)
        : h.mj.createTask({ status: 'SUCCESS', ...seed });
  const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId }, ...where });
  await expectAckInTime(h, interaction.id);
  const reply = await h.discord.waitFor(
    () => {
      const original = h.discord.interactionResponses(interaction.id).original;
      return original && taskIdOf(original) === taskId && original.components.length > 0 ? original : null;
    },
    10_000,
    `the /mjtask reply for ${taskId}`,
  );
  return { channelId: reply.channel_id, messageId: reply.id, taskId };
}

/** custom_ids of every button on a message (link buttons have none). */
export function customIdsOn(message: StoredMessage | undefined): string[] {
  return (message?.components ?? [])
    .flatMap((row) => ((row.components as { custom_id?: string }[]) ?? []).map((b) => b.custom_id ?? ''))
    .filter(Boolean);
}

/** The custom_id of the button on a shown message whose id contains `fragment` (e.g. '::variation::1::'). */
export function buttonIdWith(h: Harness, shown: Pick<Shown, 'channelId' | 'messageId'>, fragment: string): string {
  const id = customIdsOn(h.discord.message(shown.channelId, shown.messageId)).find((i) => i.includes(fragment));
  if (!id) throw new Error(`no button ${fragment}`);
  return id;
}

/** The signing key the bot derives from its token and API key (the bot signs every submit's state). */
export const stateKeyOf = (h: Harness): Buffer =>
  deriveStateKey({ discordToken: h.discord.token, mjApiKey: h.mj.apiKey });

/** The signed `state` the bot passes on every submit: where the member started it (owner and notifyHook feed). */
export const submitState = (h: Harness, userId = h.discord.defaults.userId): string =>
  signedState(stateKeyOf(h), h.discord.defaults.guildId, userId);

/**
 * Matches the `state` a submit sends: signed with the bot's key for this server and member; a counted
 * submit's also names its click record (a number the test does not know).
 */
export const sentState = (h: Harness, userId = h.discord.defaults.userId): unknown =>
  expect.toSatisfy((state: unknown) => {
    const origin = typeof state === 'string' ? parseSubmitState(state, stateKeyOf(h)) : null;
    return origin?.guildId === h.discord.defaults.guildId && origin.userId === userId;
  }, `a state signed for member ${userId}`);

export function buttonOn(
  message: StoredMessage | undefined,
  customId: string,
): { style: number; label?: string } | undefined {
  for (const row of message?.components ?? []) {
    for (const b of (row.components as { custom_id?: string; style: number; label?: string }[]) ?? [])
      if (b.custom_id === customId) return b;
  }
  return undefined;
}

/**
 * Waits until the clicked button shows as used (blue) on the message it sits on. The bot marks it with a
 * channel edit nobody waits for (submit/source-message.ts), so it may land after the click's answer.
 */
export async function markedUsed(
  h: Harness,
  on: Pick<Shown, 'channelId' | 'messageId'>,
  customId: string,
): Promise<void> {
  await h.discord.waitFor(
    () => buttonOn(h.discord.message(on.channelId, on.messageId), customId)?.style === ButtonStyle.Primary,
    2_000,
    `${customId} marked used`,
  );
}

export interface ClickAnswer {
  interactionId: string;
  view: InteractionResponseView;
  /** The private text the member reads (edited deferred reply or an immediate reply). */
  text: string;
  ephemeral: boolean;
}

/** The member's private answer once it is final: an immediate reply (4), or the deferred reply edited. */
function finalAnswer(view: InteractionResponseView): { text: string; ephemeral: boolean } | null {
  if (view.callbackType === InteractionResponseType.ChannelMessageWithSource)
    return {
      text: String(view.callbackData?.content ?? ''),
      ephemeral: (Number(view.callbackData?.flags ?? 0) & FLAG_EPHEMERAL) !== 0,
    };
  if (view.callbackType === InteractionResponseType.DeferredChannelMessageWithSource) {
    const original = view.original;
    if (!original || (original.flags & FLAG_LOADING) !== 0) return null;
    return { text: original.content, ephemeral: (original.flags & FLAG_EPHEMERAL) !== 0 };
  }
  return null;
}

/**
 * Waits until the interaction's answer is final (not "thinking…", and the bot's handler is over: a
 * task shown through the interaction gets its answer first, then its link), acknowledgement asserted
 * on the way.
 */
export async function answerOf(h: Harness, interactionId: string): Promise<ClickAnswer> {
  await expectAckInTime(h, interactionId);
  await h.discord.waitFor(
    () => finalAnswer(h.discord.interactionResponses(interactionId)),
    5_000,
    `the answer to ${interactionId}`,
  );
  await h.bot.handled(interactionId);
  const final = finalAnswer(h.discord.interactionResponses(interactionId));
  if (!final) throw new Error(`the answer to ${interactionId} went back to "thinking…"`);
  return { interactionId, view: h.discord.interactionResponses(interactionId), ...final };
}

/** Clicks a button of a shown message as `user` (default the plain member) and waits for the final answer. */
export async function click(
  h: Harness,
  shown: Pick<Shown, 'channelId' | 'messageId'>,
  customId: string,
  user?: string,
): Promise<ClickAnswer> {
  const interaction = h.discord.clickButton({
    channelId: shown.channelId,
    messageId: shown.messageId,
    customId,
    ...(user ? { user } : {}),
  });
  return answerOf(h, interaction.id);
}

/** The progress message an answer links to, and the task it follows. */
export function followedFrom(h: Harness, answer: string): Shown & { message: StoredMessage } {
  const link = LINK.exec(answer);
  if (!link) throw new Error(`the answer links to no message: ${answer}`);
  const [, channelId = '', messageId = ''] = link;
  const message = h.discord.message(channelId, messageId);
  const taskId = taskIdOf(message);
  if (!message || !taskId) throw new Error(`the linked message ${messageId} shows no task`);
  return { channelId, messageId, taskId, message };
}

/** Submits to the action route since `since` (index into mj.requests). */
export function actionBodies(h: Harness, since = 0): Array<Record<string, unknown>> {
  return h.mj.requests
    .slice(since)
    .filter((r) => r.route === 'action')
    .map((r) => r.body as Record<string, unknown>);
}

/**
 * What the bot asked the API since `since` on the member's behalf: any submit, and any read of `taskId`.
 * (The tracker's polls of other running tasks are not counted.)
 */
export function requestsFor(h: Harness, since: number, taskId?: string) {
  return h.mj.requests
    .slice(since)
    .filter(
      (r) =>
        r.route === 'action' ||
        r.route === 'modal' ||
        r.route === 'imagine' ||
        r.route === 'describe' ||
        r.route === 'blend' ||
        (taskId !== undefined && JSON.stringify([r.path, r.body]).includes(taskId)),
    );
}

/** Every text the bot sent to Discord and every log line, to check nothing secret leaks. */
export function everythingSaid(h: Harness): string {
  return JSON.stringify(h.discord.requests.map((r) => r.body)) + h.logLines().join('\n');
}

/**
 * A new channel the bot may see but not post in, once the bot's cache has both the channel and the
 * overwrite (a command about it sooner would read the channel as unknown, or as still open).
 */
export async function closedChannel(h: Harness): Promise<string> {
  const closed = h.discord.addChannel({ name: 'closed' });
  await h.discord.waitFor(() => h.bot.client.channels.cache.has(closed), 2_000, 'the channel in the bot cache');
  h.discord.revokeAccess(closed, 'send');
  await h.discord.waitFor(
    () => {
      const cached = h.bot.client.channels.cache.get(closed);
      return (
        cached?.isTextBased() && !cached.isDMBased() && !cached.permissionsFor(h.bot.client.user!)?.has('SendMessages')
      );
    },
    2_000,
    'the overwrite in the cache',
  );
  return closed;
}
