// Shared steps of the tracking e2e files (test/e2e/tracking*.test.ts): start a task the way a member
// does, find its progress and result messages, and a bot clock the test can move.
import { LANGUAGES } from '../../src/i18n/index.js';
import type { Clock } from '../../src/clock.js';
import type { StoredMessage } from './discord/index.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

/**
 * Discord's per-channel bucket (5 / 5 s) and the bot's budget under it (4 / 5 s), both shrunk 50×
 * so a burst drains in seconds; the rule under test (never more than the bucket) is the same.
 */
export const FAST_BUCKET = { limit: 5, windowMs: 100 };
export const FAST_BUDGET = { limit: 4, windowMs: 100 };
/** Discord's global 50 / s and the bot's 45 / s under it, shrunk by the same factor. */
export const FAST_GLOBAL_LIMIT = { limit: 50, windowMs: 20 };
export const FAST_GLOBAL_BUDGET = { limit: 45, windowMs: 20 };

/** Rate limit and running cap off: these tests start many tasks as one member. */
export const GUARDS_OFF = { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' };

/** A harness for tracking tests: guards off and the shrunk bucket and budget, plus the file's own options. */
export function startTrackingHarness(options: HarnessOptions = {}): Promise<Harness> {
  return startHarness({
    ...options,
    env: { ...GUARDS_OFF, ...options.env },
    discord: { editBucket: FAST_BUCKET, globalLimit: FAST_GLOBAL_LIMIT, ...options.discord },
    channelBudget: options.channelBudget ?? FAST_BUDGET,
    globalBudget: options.globalBudget ?? FAST_GLOBAL_BUDGET,
  });
}

/** Real time plus an offset the test moves forward: timers keep running, deadlines come early. */
export interface OffsetClock extends Clock {
  advance(ms: number): void;
}

export function createOffsetClock(): OffsetClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}

export interface StartedTask {
  taskId: string;
  /** Where the bot follows it (the updates channel). */
  channelId: string;
  progressId: string;
  interactionId: string;
  /** The interaction's token: its webhook carries the progress while the token lives. */
  token: string;
  /** The member's private answer. */
  answer: string;
}

const LINK = /https:\/\/discord\.com\/channels\/\d+\/(\d+)\/(\d+)/;

/** Runs /imagine as a member and waits for the private "submitted — following it in …" answer. */
export async function imagine(
  h: Harness,
  prompt: string,
  who: { user?: string; channelId?: string } = {},
): Promise<StartedTask> {
  const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt }, ...who });
  const answerNow = () => h.discord.interactionResponses(interaction.id).original?.content ?? '';
  // Answered before its progress message (a follow-up of the interaction), then given its link.
  const answer = await h.discord
    .waitFor(() => LINK.test(answerNow()) && answerNow(), 5_000, `the answer to /imagine ${prompt}`)
    .catch(() => {
      throw new Error(`/imagine ${prompt} was not followed: ${answerNow()}`);
    });
  const link = LINK.exec(answer);
  if (!link) throw new Error(`/imagine ${prompt} was not followed: ${answer}`);
  const [, channelId = '', progressId = ''] = link;
  const taskId = taskIdOf(h.discord.message(channelId, progressId));
  if (!taskId) throw new Error(`the progress message of /imagine ${prompt} carries no task id`);
  return { taskId, channelId, progressId, interactionId: interaction.id, token: interaction.token, answer };
}

/** The task id a message carries: its `-# Task <id>` subtext line, else (older messages) its embed footer. */
/** `-# Task <id>` in whichever language the channel's messages are (the word is each language's `task.id_word`). */
const TASK_ID_LINE = new RegExp(
  `^-# (?:${Object.values(LANGUAGES)
    .map((m) => m['task.id_word'])
    .join('|')}) ((?:[A-Za-z0-9-]|\\\\_)+)$`,
  'm',
);

export function taskIdOf(message: StoredMessage | undefined): string | null {
  const line = TASK_ID_LINE.exec(message?.content ?? '')?.[1];
  if (line !== undefined) return line.replace(/\\_/g, '_');
  const footer = (message?.embeds[0] as { footer?: { text?: string } } | undefined)?.footer?.text ?? '';
  return /^Task (\d+)$/.exec(footer)?.[1] ?? null;
}

/**
 * Edits of one message by any route: the channel route, or the interaction webhook that carries a
 * task's progress while the member's token lives (PROGRESS_THROUGH_INTERACTION).
 */
export function editsOf(h: Harness, messageId: string): number {
  return h.discord.requestsTo('PATCH', new RegExp(`/messages/${messageId}$`)).length;
}

/** Messages that show this task and are not its progress message: the result(s). */
export function resultsOf(h: Harness, task: Pick<StartedTask, 'taskId' | 'channelId' | 'progressId'>): StoredMessage[] {
  return h.discord
    .messages(task.channelId)
    .filter((m) => m.id !== task.progressId && taskIdOf(m) === task.taskId && !m.interaction_metadata);
}

/** Every POST that created or returned a result for this task (nonce `r…`). */
export function resultPosts(h: Harness, channelId: string) {
  return h.discord
    .requestsTo('POST', `/channels/${channelId}/messages`)
    .filter((r) => String((r.body as { nonce?: unknown } | undefined)?.nonce ?? '').startsWith('r'));
}

/**
 * The state the content line shows, as Midjourney writes it (`… - <@member> (46%) (fast)` → "46%"):
 * its first bracketed tag that is not the speed mode, unescaped; '' for a finished task (none shown).
 */
export function statusField(message: StoredMessage | undefined): string {
  const first = (message?.content ?? '').split('\n')[0] ?? '';
  const at = first.lastIndexOf('** - ');
  if (at < 0) return '';
  const tags = [...first.slice(at + 5).matchAll(/\(((?:\\.|[^()\\])*)\)/g)].map((m) =>
    (m[1] ?? '').replace(/\\(.)/g, '$1'),
  );
  return tags.find((t) => !/^(fast|relax|turbo)$/.test(t)) ?? '';
}

export const fieldOf = (message: StoredMessage | undefined, name: string): string | undefined =>
  ((message?.embeds[0] as { fields?: Array<{ name: string; value: string }> } | undefined)?.fields ?? []).find(
    (f) => f.name === name,
  )?.value;

/** Lines the bot logged at warn or above (pino levels 40+). */
export function problems(h: Harness): string[] {
  return h.logLines().filter((line) => {
    try {
      return (JSON.parse(line) as { level?: number }).level! >= 40;
    } catch {
      return false;
    }
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
