// trueai-org/midjourney-proxy @ ed32197 (tag v11.10.3), the C# re-implementation of the plus API.
// Paths below are under src/.
import { button, gridButtons, shortenButtons, upscaleButtons } from '../buttons.js';
import { describeLine, describeText } from '../describe.js';
import { shortenText } from '../shorten-text.js';
import type { StoredTask } from '../task-view.js';
import type { MjButtonJson, RouteName } from '../types.js';
import {
  GENERIC_RULES,
  envelopeJson,
  header,
  seedOf,
  type DialectProfile,
  type GateRequest,
  type Json,
} from './profile.js';

// Midjourney.API/Controllers/SubmitController.cs has imagine, action, modal (and describe, blend, …);
// /submit/change went in v10 (commit 5853eed). TaskController.cs has fetch, list (L177-182),
// list-by-condition with its alias list-by-ids (L189-207), image-seed (L132-160).
const ROUTES: RouteName[] = [
  'fetch',
  'list',
  'list-by-condition',
  'image-seed',
  'imagine',
  'action',
  'modal',
  'describe', // SubmitController.cs L280-338
  'blend', // L383-426
  'shorten', // L345-376
  'images',
];

const solo = (family: string, uuid: string) => `MJ::JOB::${family}::1::${uuid}::SOLO`;
const FILM = '\u{1F39E}\u{FE0F}'; // 🎞️

/** Buttons on a fork task: Animate on upscales (Models/CustomComponentModel.cs L65-86), the video set. */
export function forkButtons(action: string, uuid: string): MjButtonJson[] {
  if (action === 'UPSCALE' || action === 'UPSCALE_HD')
    return [
      ...upscaleButtons(uuid),
      button(solo('animate_high', uuid), 'Animate (High motion)', FILM),
      button(solo('animate_low', uuid), 'Animate (Low motion)', FILM),
    ];
  // Models/TaskInfo.cs L1110-1168: U1–U4 of a video grid, and Extend.
  if (action === 'VIDEO')
    return [
      ...[1, 2, 3, 4].map((n) => button(`MJ::JOB::video_virtual_upscale::${n}::${uuid}`, `U${n}`)),
      button(`MJ::JOB::animate_high_extend::1::${uuid}`, 'Extend (High motion)', FILM),
      button(`MJ::JOB::animate_low_extend::1::${uuid}`, 'Extend (Low motion)', FILM),
    ];
  // Models/TaskInfo.cs L1171-1220 (SetDescribeButtions) and the Discord copy: 1️⃣–4️⃣, 🔄, 🎉 Imagine all.
  if (action === 'DESCRIBE')
    return [
      ...[1, 2, 3, 4].map((n) => button(`MJ::Job::PicReader::${n}`, '', `${n}\u{FE0F}\u{20E3}`)),
      button('MJ::Picread::Retry', '', '\u{1F504}'),
      button('MJ::Job::PicReader::all', 'Imagine all', '\u{1F389}'),
    ];
  // The Shorten answer's 1️⃣–5️⃣ as Discord gave them (DiscordWebSocketService.cs L2545-2556 keeps every button).
  if (action === 'SHORTEN') return shortenButtons();
  return gridButtons(uuid);
}

/** "v 6.1" / "niji 6" as the fork stores `version` (Models/TaskInfo.cs L609), read from the prompt. */
function versionOf(prompt: string): string {
  const niji = /--niji\s+(\d+(?:\.\d+)?)/.exec(prompt);
  if (niji) return `niji ${niji[1]}`;
  const v = /--v(?:ersion)?\s+(\d+(?:\.\d+)?)/.exec(prompt);
  // ASSUMPTION: with no --v the fork records the account's default model; the stand-in says v 7.
  return v ? `v ${v[1]}` : 'v 7';
}

/** DateTime.Now.Ticks as Result.Timestamp holds it (Models/Result.cs L37): 100 ns since year 1. */
const ticks = (ms: number) => String(BigInt(Math.trunc(ms)) * 10_000n + 621_355_968_000_000_000n);

/**
 * Controllers/SubmitController.cs L520-575: a U, a video U or a V records which image of the grid it acts
 * on as properties.action_index (1–4; Data/Constants.cs L176), from the start. Dictionary keys keep their
 * case in System.Text.Json (Program.cs L219-223 sets no DictionaryKeyPolicy).
 */
function actionIndexOf(task: StoredTask): Json {
  const m = /\sMJ::JOB::(?:upsample|video_virtual_upscale|variation)::([1-9]\d*)/.exec(task.description);
  return m ? { action_index: Number(m[1]) } : {};
}

export function forkShape(json: Json, task: StoredTask, baseUrl: string): Json {
  // System.Text.Json camelCase, string enums (Midjourney.API/Program.cs L217-223) over TaskInfo.cs.
  const video = task.action === 'VIDEO' && json.status === 'SUCCESS';
  // Midjourney.Services/DiscordWebSocketService.cs L2632-2647: a Describe's four prompts, in finalPrompt
  // and promptEn.
  const described = task.action === 'DESCRIBE' && json.status === 'SUCCESS' ? describeText(task.prompt) : null;
  // DiscordWebSocketService.cs L2705-2714: a Shorten's answer (the embed's text) as description and finalPrompt.
  const shortened = task.action === 'SHORTEN' && json.status === 'SUCCESS' ? shortenText(task.prompt) : null;
  const videoUrl = `${baseUrl}/videos/${task.id}.mp4`;
  return {
    ...json,
    properties: {
      ...(json.properties as Json),
      ...actionIndexOf(task),
      ...(described !== null && { finalPrompt: described }),
      ...(shortened !== null && { finalPrompt: shortened }),
    },
    ...(described !== null && { promptEn: described }),
    ...(shortened !== null && { description: shortened }),
    botType: task.botType ?? 'MID_JOURNEY', // TaskInfo.cs L118
    mode: task.mode ?? 'FAST', // L430 (ASSUMPTION: FAST when neither path, filter nor prompt names one)
    version: versionOf(task.prompt), // L609
    seed: task.seed ?? null, // L386, filled by /image-seed
    // L475, L572, L578, L780-805: the video result and its thumbnail.
    videoUrl: video ? videoUrl : null,
    videoUrls: video ? [{ url: videoUrl, thumbnail: json.imageUrl }] : null,
    contentType: video ? 'video/mp4' : json.status === 'SUCCESS' ? 'image/png' : null,
  };
}

function carriesUpload(req: GateRequest): boolean {
  const body = (req.body ?? {}) as Json;
  if (req.route === 'imagine') return Array.isArray(body.base64Array) && body.base64Array.length > 0;
  return (req.route as string) === 'describe' && typeof body.base64 === 'string' && body.base64 !== '';
}

export const fork: DialectProfile = {
  name: 'fork',
  flavor: 'proxy',
  // Controllers/TaskController.cs L75-79: ActionResult<TaskInfo> holding null, which ASP.NET sends as 204.
  unknownIdShape: '204',
  routes: new Set(ROUTES),
  listByIdsAlias: true, // TaskController.cs L189-207
  listLimit: 100, // TaskController.cs L177-182: OrderByDescending(SubmitTime).Take(100)
  // ASP.NET routing with no endpoint and no SPA fallback (Midjourney.API/Program.cs L401-420): 404, no body.
  routeNotFound: { status: 404, text: '' },
  gate(req) {
    // Midjourney.API/WorkContext.cs L46-48: the token is Authorization when present, else Mj-Api-Secret,
    // compared raw (no "Bearer " stripping). SimpleAuthMiddleware.cs L116-120: no user (and guest mode
    // off) → 401 "Authorization header missing." written with no content type. With guest mode on, the
    // same request runs as a guest.
    const token = header(req.headers, 'authorization') ?? header(req.headers, 'mj-api-secret');
    if (token !== req.apiKey && !req.state.forkGuest) return { status: 401, text: 'Authorization header missing.' };
    // SubmitController.cs L142-148: with EnableUserCustomUploadBase64 off, any base64Array on imagine (and
    // describe's base64, L280-338) is code 4 "禁止上传"; describe's link and blend stay allowed.
    if (req.state.forkUploadsDisabled && carriesUpload(req)) return { status: 200, json: envelopeJson(4, '禁止上传') };
    const limit = req.state.forkLimit;
    if (limit !== null && (req.route === 'imagine' || req.route === 'action')) {
      // SubmitController.cs L1033-1243: NewTask throws LogicException for limits and bans (ASSUMPTION: before
      // the parent is looked at). /imagine catches it as code 4 (L196-199); elsewhere the global filter
      // answers HTTP 200 Result.Fail (Filters/CustomLogicExceptionFilterAttribute.cs L41-52,
      // Models/Result.cs L71: success false, code -1).
      if (req.route === 'imagine') return { status: 200, json: envelopeJson(4, limit) };
      return { status: 200, json: { success: false, code: -1, message: limit, timestamp: ticks(req.now) } };
    }
    return null;
  },
  shapeUpstream: forkShape,
  successButtons: forkButtons,
  imageSeed(task, served) {
    // Controllers/TaskController.cs L132-160.
    if (!task || !served) return { status: 404, json: envelopeJson(3, '关联任务不存在或已失效') };
    const hash = (served.properties as Json | undefined)?.messageHash;
    if (task.seed === undefined && typeof hash !== 'string')
      return { status: 400, json: envelopeJson(4, '关联任务状态错误') };
    task.seed ??= seedOf(task.id); // TaskService.SubmitSeed stores it in the task
    return { status: 200, json: envelopeJson(1, '成功', task.seed) };
  },
  submit: {
    ...GENERIC_RULES,
    // ASSUMPTION: the fork presses the button again, so a repeated U is a new task (no dedupe found).
    repeatedUpscaleAnswers21: false,
    // Midjourney.Services/DiscordService.cs L1882-1922: the local check runs after submit; the task fails.
    bannedPrompt: 'failLater',
    bannedFailReason: () => '可能包含敏感词',
    // TaskService.cs L1885-1911: the MODAL task's finalPrompt is arr[n-1].Trim(), "1️⃣ " still in front.
    picReaderPrompt: (finalPrompt, n) => describeLine(finalPrompt, n) ?? null,
    imagineAllSplits: true,
    // SubmitController.cs L520-688: no branch for BOOKMARK, PromptAnalyzer or video::manual, so the
    // else at L683-688 answers code 4.
    buttonRefusal: (customId) =>
      /^MJ::(BOOKMARK::|Job::PromptAnalyzer::|JOB::video::)/.test(customId) ? '未知的 Action 类型' : null,
    // SubmitController.cs L700-773: no status check; TaskService.SubmitModal (L2052-2090) re-enqueues the task
    // as a MODAL job, and the worker skips a task already running (DiscordService.cs L1846-1870).
    modalChecksStatus: false,
    // L751-762: the mask is not checked ("不检查").
    modalNeedsMask: false,
    // Dto/DataUrl.cs L83-96: DataUrl.Parse takes http(s) links as well as data URLs.
    images: { acceptsUrls: true },
  },
};
