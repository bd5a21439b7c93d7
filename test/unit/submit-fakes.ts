// Plain stand-ins for the click-flow tests: a scripted MjApi, a tracker that records what it follows,
// and discord.js-shaped interactions that record every response. No module mocking: the bot's router
// and handlers get these objects exactly as they would get the real ones.
import { languageOf } from '../../src/i18n/index.js';
import { configSecrets, loadConfig } from '../../src/config/load.js';
import { createInteractionRouter } from '../../src/discord/router.js';
import { createLogger } from '../../src/log.js';
import type { MjApi } from '../../src/mj/api.js';
import { deriveStateKey } from '../../src/mj/submit-state.js';
import { MjTaskSchema, SubmitResultSchema, type MjTask, type SubmitResult } from '../../src/mj/schema.js';
import { createRedactor } from '../../src/redact.js';
import { openStore } from '../../src/store/store.js';
import type { TaskTarget } from '../../src/store/tracked-tasks.js';
import type { HandlerDeps } from '../../src/submit/deps.js';
import { createKeyedLock } from '../../src/submit/keyed-lock.js';
import { createRemixMemory } from '../../src/submit/remix-memory.js';
import { createMemoryClickLog } from '../support/memory-click-log.js';

export const REQUESTER = '111111111111111111';
export const STRANGER = '222222222222222222';
export const GUILD = '900000000000000001';
export const CHANNEL = '900000000000000002';
export const UPDATES = '900000000000000003';
export const PARENT = '1730621826053455';
const TOKEN = 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.Gabcde.test-token-not-real-0123456789abc';

type Answer = Record<string, unknown> | Error | ((req: unknown) => Promise<Record<string, unknown>>);

/** A scripted MjApi: each submit takes the next queued answer; `events` records the order of calls. */
export function fakeMj(events: string[]) {
  const queues = {
    action: [] as Answer[],
    modal: [] as Answer[],
    imagine: [] as Answer[],
    describe: [] as Answer[],
    blend: [] as Answer[],
    shorten: [] as Answer[],
    video: [] as Answer[],
  };
  const requests: Array<{ route: string; req: unknown }> = [];
  const tasks = new Map<string, MjTask>();
  async function take(route: keyof typeof queues, req: unknown): Promise<SubmitResult> {
    events.push(`mj.${route}`);
    requests.push({ route, req });
    const next = queues[route].shift();
    if (next === undefined) throw new Error(`no scripted answer for ${route}`);
    if (next instanceof Error) throw next;
    return SubmitResultSchema.parse(typeof next === 'function' ? await next(req) : next);
  }
  const api: MjApi = {
    async fetchTask(id) {
      events.push('mj.fetch');
      const task = tasks.get(id);
      if (!task) throw new Error(`unknown task ${id}`);
      return task;
    },
    fetchTasks: async () => [],
    submitAction: (req) => take('action', req),
    submitModal: (req) => take('modal', req),
    submitImagine: (req) => take('imagine', req),
    submitDescribe: (req) => take('describe', req),
    submitBlend: (req) => take('blend', req),
    submitShorten: (req) => take('shorten', req),
    submitVideo: (req) => take('video', req),
    close: async () => undefined,
  };
  return { api, queues, requests, tasks };
}

export function task(fields: Record<string, unknown>): MjTask {
  return MjTaskSchema.parse({
    id: PARENT,
    action: 'IMAGINE',
    status: 'SUCCESS',
    prompt: 'a red fox --ar 3:2',
    progress: '100%',
    ...fields,
  });
}

export const GRID_BUTTONS = ['upsample::1', 'upsample::2', 'variation::1'].map((s, i) => ({
  customId: `MJ::JOB::${s}::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`,
  label: ['U1', 'U2', 'V1'][i],
  emoji: '',
  style: 2,
  type: 2,
}));
export const UPSCALE_BUTTONS = [
  {
    customId: 'MJ::Inpaint::1::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0::SOLO',
    label: 'Vary (Region)',
    emoji: '🖌️',
    style: 2,
    type: 2,
  },
  {
    customId: 'MJ::CustomZoom::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    label: 'Custom Zoom',
    emoji: '🔍',
    style: 2,
    type: 2,
  },
  {
    customId: 'MJ::JOB::animate_high::1::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0::SOLO',
    label: 'Animate (High motion)',
    emoji: '🎞️',
    style: 2,
    type: 2,
  },
  { customId: 'MJ::BOOKMARK::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', label: '', emoji: '❤️', style: 2, type: 2 },
];

/** An edit of a message no follow owns, as the REST route it would take. */
export type RecordedPatch = {
  route: string;
  body: { components: Array<{ components: Array<Record<string, unknown>> }> };
};

export function fakeContext(
  mj: MjApi,
  env: Record<string, string> = {},
  opts: {
    running?: number;
    now?: () => number;
    runningTaskIds?: string[];
    parentOwner?: string | null;
    /** Gets `prepare <id>`, `owner <id>` and `follow <id>` in the order the handler stores and follows. */
    events?: string[];
    /** follow() throws for these ids (Discord refused the progress message). */
    failFollow?: string[];
  } = {},
) {
  const followed: Array<{ taskId: string; target: TaskTarget; initial?: MjTask }> = [];
  const tracker: HandlerDeps['tracker'] = {
    async follow(taskId, target, initial) {
      opts.events?.push(`follow ${taskId}`);
      if (opts.failFollow?.includes(taskId)) throw new Error('Missing Access');
      followed.push({ taskId, target, ...(initial ? { initial } : {}) });
      return { messageId: `9100000000000000${followed.length}` };
    },
    prepare: (taskId) => {
      opts.events?.push(`prepare ${taskId}`);
      return Promise.resolve(true);
    },
    runningCountFor: () => opts.running ?? 0,
    isRunningFor: (taskId) => opts.runningTaskIds?.includes(taskId) === true,
  };
  const config = loadConfig({
    DISCORD_TOKEN: TOKEN,
    MJ_API_URL: 'https://mj.example.com',
    MJ_API_KEY: 'sk-secret-key-123456',
    ...env,
  });
  const store = openStore(':memory:');
  // The parent task was started with the bot by REQUESTER (as fakeMessage's mention shows), unless told otherwise.
  const parentOwner = opts.parentOwner === undefined ? REQUESTER : opts.parentOwner;
  // The SQLite store writes at the call, before any interaction is routed.
  if (parentOwner !== null) void store.owners.record({ taskId: PARENT, guildId: GUILD, userId: parentOwner });
  /** Edits the handlers asked the publisher for (a clicked button shown as used), as REST routes. */
  const patches: RecordedPatch[] = [];
  const ctx: HandlerDeps = {
    config,
    mj,
    messages: {
      editMessage: (channelId, messageId, body) => {
        patches.push({ route: `/channels/${channelId}/messages/${messageId}`, body: body as never });
        return Promise.resolve(true);
      },
    },
    log: createLogger({ level: 'silent', secrets: [] }),
    clock: { now: opts.now ?? (() => 1_750_000_000_000) },
    tracker,
    settings: store.settings,
    usage: store.usage,
    clickLog: createMemoryClickLog(),
    attachments: { download: () => Promise.reject(new Error('no attachments in these tests')) },
    owners: {
      ...store.owners,
      record: (owner) => {
        opts.events?.push(`owner ${owner.taskId}`);
        return store.owners.record(owner);
      },
    },
    followed: store.tracked,
    bannedPrompts: store.bannedPrompts,
    stateKey: deriveStateKey({ discordToken: config.discord.token, mjApiKey: config.mj.apiKey }),
    lock: createKeyedLock(),
    remix: createRemixMemory(),
    redact: createRedactor(configSecrets(config)).text,
    updatesChannelFor: () => Promise.resolve(UPDATES),
    channelLocaleFor: (_guildId, guildLocale) => Promise.resolve(languageOf(guildLocale)),
  };
  /** The bot's own router over these parts: every interaction goes in the way Discord's would. */
  const route = createInteractionRouter(ctx) as (interaction: never) => Promise<void>;
  return { ctx, followed, route, store, patches };
}
