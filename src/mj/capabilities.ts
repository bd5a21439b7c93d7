// Pure: what each Midjourney server can run, as data, and the buttons a task shows on it. The renderer
// takes these capabilities as an input (it stays pure), and the click flow asks them how to submit a
// button. Every entry follows the server's own code:
// - novicezk/midjourney-proxy (nzk) has no /submit/action and no `buttons`; U1–U4, V1–V4 and 🔄 exist only
//   as /submit/change {taskId, action, index} (src/main/java/com/github/novicezk/midjourney/controller/
//   SubmitController.java L106-150), for IMAGINE, VARIATION, REROLL and BLEND parents (L128).
// - trueai-org/midjourney-proxy (fork) runs every button its tasks carry except BOOKMARK and Shorten's
//   PromptAnalyzer, which its controller has no branch for (src/Midjourney.API/Controllers/
//   SubmitController.cs L520-688, code 4 "未知的 Action 类型").
// - midjourney-proxy-plus runs every button but Describe's 🎉 Imagine all and ❤️ (docs/api.md §3).
// - new-api bills only upsample*, *variation, pan*, reroll, Outpaint, CustomZoom and Inpaint; anything
//   else is a 400 unknown_action before the relay (Calcium-Ion/new-api service/midjourney.go L79-126,
//   middleware/distributor.go L37-41).
// Describe's 1️⃣–4️⃣ / 🎉 and Shorten's prompts are text the task already holds, so where the server's
// button fails they run here as /submit/imagine of that prompt, which every server has. Describe's 🔄
// runs on the fork's own button (SubmitController.cs L673-677: a DESCRIBE of the parent's imageUrl) and
// plus's; elsewhere (nzk has no buttons, new-api answers unknown_action, service/midjourney.go L125) the
// bot sends /submit/describe of the task's image again.
import type { MjDialect } from './dialect.js';
import type { MjButtonFamily, MjButtonKind } from './custom-id.js';
import { parseMjCustomId } from './custom-id.js';
import type { MjButton, MjTask } from './schema.js';
import { isShorten, numberedPrompts } from './text-results.js';

/**
 * How a button runs: its own /submit/action, /submit/change (nzk), /submit/imagine of its prompt,
 * /submit/describe of the task's image, or not at all.
 */
export type ButtonRoute = 'action' | 'change' | 'imagine' | 'describe' | 'hidden';

/** A family, with Describe's 🎉 Imagine all apart from its 1️⃣–4️⃣. */
export type ButtonClass = MjButtonFamily | 'pic_reader_all';

export interface DialectCapabilities {
  /** 'unknown': not detected; every button is sent as the server gave it. */
  readonly dialect: MjDialect | 'unknown';
  readonly routes: Readonly<Record<ButtonClass, ButtonRoute>>;
  /**
   * The server sends no buttons: U1–U4, 🔄, V1–V4 are built from a finished grid task, and a finished
   * Describe's 1️⃣–4️⃣ and 🎉 from its prompts (they run as /submit/imagine, see `routes`).
   */
  readonly buildsGridButtons: boolean;
  /** /fetch may serve an older row of the same id (new-api after a modal): confirm with list-by-condition. */
  readonly fetchMayServeOlderRow: boolean;
  /** What /imagine, /describe and /blend may ask of this server (NEW_TASK_OPTIONS). */
  readonly newTask: NewTaskOptions;
  /** Endpoints beyond the buttons that this server has (see DialectOffers). */
  readonly offers: DialectOffers;
}

/** Per-task choices a new task may carry (mj-servers.md §4.9). */
export interface NewTaskOptions {
  /** The server's name in the member's sentence when it refuses an option. */
  readonly serverName: string;
  /** `accountFilter.modes` [FAST | RELAX | TURBO]: the speed of this one task. */
  readonly speed: boolean;
  /** `botType` MID_JOURNEY | NIJI_JOURNEY: Midjourney or niji・journey. */
  readonly model: boolean;
}

/**
 * - fork: accountFilter.modes on imagine, describe, blend and shorten (trueai-org/midjourney-proxy
 *   src/Midjourney.API/Dto/BaseSubmitDTO.cs L45-80); botType on the same (Controllers/SubmitController.cs
 *   L1314-1324, "mj"/"niji" or the enum names).
 * - new-api relays botType as sent, but deletes accountFilter unless its admin enabled it (Calcium-Ion/
 *   new-api relay/relay-mj.go, mj-servers.md §4.9): a speed asked there would silently not apply.
 * - nzk: neither field on its DTOs (dto/SubmitImagineDTO.java, SubmitDescribeDTO.java, SubmitBlendDTO.java).
 * - plus: closed source and its docs name neither for these routes, so the bot does not claim them.
 * - unknown: sent as asked, like every button on a server the bot could not recognise.
 */
const NEW_TASK_OPTIONS: Readonly<Record<MjDialect | 'unknown', NewTaskOptions>> = {
  unknown: { serverName: 'not recognised', speed: true, model: true },
  nzk: { serverName: 'novicezk/midjourney-proxy', speed: false, model: false },
  fork: { serverName: 'trueai-org/midjourney-proxy', speed: true, model: true },
  plus: { serverName: 'midjourney-proxy-plus', speed: false, model: false },
  newapi: { serverName: 'new-api', speed: false, model: true },
};

/**
 * What a server offers besides /fetch, /imagine and the buttons:
 * - imageSeed: GET /mj/task/{id}/image-seed (trueai-org/midjourney-proxy src/Midjourney.API/Controllers/
 *   TaskController.cs L132-160; midjourney-proxy-plus docs/api.md; new-api relay/relay-mj.go L255-289 and
 *   router/relay-router.go). novicezk/midjourney-proxy has no such route (controller/TaskController.java).
 * - shorten: POST /mj/submit/shorten (the fork's SubmitController.cs L345-376; plus docs §5; new-api
 *   relays it, relay-router.go). Not nzk.
 * - video: POST /mj/submit/video (the fork's SubmitController.cs L922-1024, Dto/SubmitVideoDTO.cs; new-api
 *   relays it, QuantumNous/new-api router/relay-router.go). Plus documents none; nzk has none.
 * An undetected server ('unknown') is asked for the commands (its answer says whether it has them), but
 * shows no Seed button under every result on a guess.
 */
export interface DialectOffers {
  readonly imageSeed: boolean;
  readonly shorten: boolean;
  readonly video: boolean;
  /**
   * GET /mj/task/list, the latest tasks of every user, newest first: where a task whose submit answer
   * never came is looked for by its state (submit/recovery.ts). nzk lists them all (novicezk/midjourney-proxy
   * controller/TaskController.java L53-58), fork the latest 100 (trueai-org/midjourney-proxy
   * src/Midjourney.API/Controllers/TaskController.cs L177-182); new-api relays only list-by-condition
   * (Calcium-Ion/new-api router/relay-router.go L97) and plus's docs name no list.
   */
  readonly recentList: boolean;
}

const OFFERS_ALL: Omit<DialectOffers, 'recentList'> = { imageSeed: true, shorten: true, video: true };

const ALL_ACTION: Record<ButtonClass, ButtonRoute> = {
  upscale: 'action',
  variation: 'action',
  reroll: 'action',
  upscale_hd: 'action',
  vary_subtle: 'action',
  vary_strong: 'action',
  vary_region: 'action',
  zoom_out: 'action',
  custom_zoom: 'action',
  pan: 'action',
  animate: 'action',
  video_upscale: 'action',
  bookmark: 'action',
  pic_reader: 'action',
  pic_reader_all: 'action',
  picread_retry: 'action',
  prompt_analyzer: 'action',
  unknown: 'action',
};

const only = (shown: Partial<Record<ButtonClass, ButtonRoute>>): Record<ButtonClass, ButtonRoute> => {
  const routes = { ...ALL_ACTION };
  for (const key of Object.keys(routes) as ButtonClass[]) routes[key] = shown[key] ?? 'hidden';
  return routes;
};

export const CAPABILITIES: Readonly<Record<MjDialect | 'unknown', DialectCapabilities>> = {
  unknown: {
    dialect: 'unknown',
    routes: ALL_ACTION,
    buildsGridButtons: false,
    fetchMayServeOlderRow: false,
    newTask: NEW_TASK_OPTIONS.unknown,
    offers: { imageSeed: false, shorten: true, video: true, recentList: false },
  },
  nzk: {
    dialect: 'nzk',
    // nzk's Describe has no buttons (support/Task.java has no such field); its prompts are in finalPrompt.
    routes: only({
      upscale: 'change',
      variation: 'change',
      reroll: 'change',
      pic_reader: 'imagine',
      pic_reader_all: 'imagine',
      picread_retry: 'describe',
    }),
    buildsGridButtons: true,
    fetchMayServeOlderRow: false,
    newTask: NEW_TASK_OPTIONS.nzk,
    offers: { imageSeed: false, shorten: false, video: false, recentList: true },
  },
  fork: {
    dialect: 'fork',
    // Describe's 1️⃣–4️⃣ answer a MODAL task whose prompt keeps its keycap (TaskService.cs L1885-1911), so
    // the bot imagines the line itself; 🎉 Imagine all runs on the server (four tasks, L1817-1876).
    routes: { ...ALL_ACTION, bookmark: 'hidden', pic_reader: 'imagine', prompt_analyzer: 'imagine' },
    buildsGridButtons: false,
    fetchMayServeOlderRow: false,
    newTask: NEW_TASK_OPTIONS.fork,
    offers: { ...OFFERS_ALL, recentList: true },
  },
  plus: {
    dialect: 'plus',
    routes: { ...ALL_ACTION, bookmark: 'hidden', pic_reader_all: 'imagine' },
    buildsGridButtons: false,
    fetchMayServeOlderRow: false,
    newTask: NEW_TASK_OPTIONS.plus,
    offers: { imageSeed: true, shorten: true, video: false, recentList: false },
  },
  newapi: {
    dialect: 'newapi',
    routes: only({
      upscale: 'action',
      upscale_hd: 'action',
      variation: 'action',
      vary_subtle: 'action',
      vary_strong: 'action',
      vary_region: 'action',
      reroll: 'action',
      pan: 'action',
      zoom_out: 'action',
      custom_zoom: 'action',
      pic_reader: 'imagine',
      pic_reader_all: 'imagine',
      picread_retry: 'describe',
      prompt_analyzer: 'imagine',
    }),
    buildsGridButtons: false,
    // relay/relay-mj.go L414-420 inserts a second row after /submit/modal; model/midjourney.go L112-120
    // GetByMJId's First() returns the older one, which its poller never updates.
    fetchMayServeOlderRow: true,
    newTask: NEW_TASK_OPTIONS.newapi,
    offers: { ...OFFERS_ALL, recentList: false },
  },
};

export function classOf(kind: MjButtonKind): ButtonClass {
  return kind.family === 'pic_reader' && kind.index === undefined ? 'pic_reader_all' : kind.family;
}

export function routeOf(caps: DialectCapabilities, kind: MjButtonKind): ButtonRoute {
  return caps.routes[classOf(kind)];
}

/** Grid parents /submit/change accepts (nzk SubmitController.java L128). */
const CHANGEABLE = new Set(['IMAGINE', 'VARIATION', 'REROLL', 'BLEND']);
const REROLL_EMOJI = '\u{1F504}';

/** U1–U4, 🔄, V1–V4 as Midjourney lays them out; the uuid segment is the task id (nzk has no job uuid). */
function gridButtons(taskId: string): MjButton[] {
  const b = (customId: string, label: string, emoji = ''): MjButton => ({ customId, label, emoji, type: 2, style: 2 });
  return [
    ...[1, 2, 3, 4].map((n) => b(`MJ::JOB::upsample::${n}::${taskId}`, `U${n}`)),
    b(`MJ::JOB::reroll::0::${taskId}::SOLO`, '', REROLL_EMOJI),
    ...[1, 2, 3, 4].map((n) => b(`MJ::JOB::variation::${n}::${taskId}`, `V${n}`)),
  ];
}

/** 1️⃣–4️⃣, 🔄 and 🎉 Imagine all as Midjourney lays them out under a Describe (the customIds are MJ's). */
function describeButtons(): MjButton[] {
  const b = (customId: string, label: string, emoji: string): MjButton => ({
    customId,
    label,
    emoji,
    type: 2,
    style: 2,
  });
  return [
    ...[1, 2, 3, 4].map((n) => b(`MJ::Job::PicReader::${n}`, '', `${n}\uFE0F\u20E3`)),
    b('MJ::Picread::Retry', '', REROLL_EMOJI),
    b('MJ::Job::PicReader::all', 'Imagine all', '\u{1F389}'),
  ];
}

/** 1️⃣–N️⃣ under a Shorten, one per shortened prompt (Midjourney's PromptAnalyzer customIds). */
function shortenButtons(count: number): MjButton[] {
  return Array.from({ length: count }, (_, i) => ({
    customId: `MJ::Job::PromptAnalyzer::${i + 1}`,
    label: '',
    emoji: `${i + 1}\uFE0F\u20E3`,
    type: 2,
    style: 2,
  }));
}

type ShownTask = Pick<MjTask, 'id' | 'action' | 'status' | 'buttons' | 'properties' | 'description' | 'promptEn'>;

/** The buttons the bot builds where the server sends none (nzk), or null. */
function builtButtons(task: ShownTask): MjButton[] | null {
  if (task.buttons.length > 0 || task.status !== 'SUCCESS') return null;
  if (CHANGEABLE.has(task.action)) return gridButtons(task.id);
  if (task.action === 'DESCRIBE') return describeButtons();
  return null;
}

/**
 * The buttons a task shows on this server: the ones it can run (built for nzk), in the server's order.
 * A finished Shorten without its 1️⃣–N️⃣ gets them where the bot imagines them itself.
 */
export function shownButtons(task: ShownTask, caps: DialectCapabilities): MjButton[] {
  let given = (caps.buildsGridButtons ? builtButtons(task) : null) ?? task.buttons;
  if (given.length === 0 && task.status === 'SUCCESS' && isShorten(task) && caps.routes.prompt_analyzer === 'imagine')
    given = shortenButtons(numberedPrompts(task).size);
  return given.filter((b) => routeOf(caps, parseMjCustomId(b.customId)) !== 'hidden');
}

/** /submit/change's action for a grid button (nzk), or null for any other button. */
export function changeActionOf(
  kind: MjButtonKind,
): { action: 'UPSCALE' | 'VARIATION' | 'REROLL'; index: number } | null {
  if (kind.family === 'upscale' && kind.index !== undefined) return { action: 'UPSCALE', index: kind.index };
  if (kind.family === 'variation' && kind.index !== undefined) return { action: 'VARIATION', index: kind.index };
  if (kind.family === 'reroll') return { action: 'REROLL', index: 0 };
  return null;
}
