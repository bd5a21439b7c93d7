// litter-coder/midjourney-proxy-plus (closed source): only docs/api.md can be read (@cd7ca8f, @0c0e668).
// Where the docs are silent the stand-in keeps NZK's behaviour, which plus extends; each such place
// says ASSUMPTION.
import { successButtons } from '../buttons.js';
import type { RouteName } from '../types.js';
import { nzk } from './nzk.js';
import { EMPTY_401, envelopeJson, header, seedOf, type DialectProfile, type Json } from './profile.js';

// docs/api.md §3: /submit/action and /submit/modal. ASSUMPTION: change, simple-change, list and
// image-seed as NZK and the reference's endpoint matrix have them.
const ROUTES: RouteName[] = [
  'fetch',
  'list',
  'list-by-condition',
  'image-seed',
  'imagine',
  'action',
  'modal',
  'change',
  'simple-change',
  'images',
];

export const plus: DialectProfile = {
  name: 'plus',
  flavor: 'proxy',
  // ASSUMPTION: a Java controller returning null, as NZK's TaskController.java L37-42 (200, empty body).
  unknownIdShape: 'empty200',
  routes: new Set(ROUTES),
  listByIdsAlias: false,
  // ASSUMPTION: NZK's ApiAuthorizeInterceptor (mj-api-secret only, bare 401).
  gate: (req) => (header(req.headers, 'mj-api-secret') === req.apiKey ? null : EMPTY_401),
  unknownPathGate: (path, req) => nzk.unknownPathGate!(path, req),
  shapeUpstream(json) {
    // Observed plus tasks (reference fixture fetch-imagine-success-v7-mjplus.json) also carry botType,
    // messageContent and finalZhPrompt in properties.
    const props = (json.properties ?? {}) as Json;
    return {
      ...json,
      properties: { ...props, botType: 'MID_JOURNEY', messageContent: `**${String(json.prompt)}**`, finalZhPrompt: '' },
    };
  },
  successButtons,
  imageSeed(task, served) {
    // ASSUMPTION: answered as the fork answers it (the fork re-implements the plus API).
    if (!task || !served) return { status: 404, json: envelopeJson(3, '关联任务不存在或已失效') };
    if (served.status !== 'SUCCESS') return { status: 400, json: envelopeJson(4, '关联任务状态错误') };
    return { status: 200, json: envelopeJson(1, '成功', seedOf(task.id)) };
  },
  submit: {
    // docs/api.md §3 (@cd7ca8f): {"code":21,"description":"窗口等待","result":id}, no properties.
    modalWaiting: () => ({ description: '窗口等待' }),
    // ASSUMPTION: NZK's documented 21 "任务已存在" {status, imageUrl} for a repeated U (NZK docs/api.md).
    repeatedUpscaleAnswers21: true,
    bannedPrompt: 'code24', // ASSUMPTION: NZK's check (SubmitController.java L69-74)
    bannedFailReason: (word) => `[Banned prompt detected] ${word}`,
    // docs/api.md §3: every button except Describe's 🎉 Imagine all and the upscale's ❤️.
    // ASSUMPTION: refused with code 4 and this text.
    picReaderPrompt: () => null,
    imagineAllSplits: false,
    buttonRefusal: (customId) => (/^MJ::(BOOKMARK::|Job::PicReader::all)/.test(customId) ? '不支持的操作' : null),
    modalChecksStatus: true, // ASSUMPTION: a task must be MODAL
    modalNeedsMask: true,
    duplicateRowAfterModal: false,
  },
};
