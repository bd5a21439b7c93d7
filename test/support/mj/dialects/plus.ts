// litter-coder/midjourney-proxy-plus (closed source): only docs/api.md can be read (@cd7ca8f, @0c0e668).
// Where the docs are silent the stand-in keeps NZK's behaviour, which plus extends; each such place
// says ASSUMPTION. Its notifyHook pushes are the shared ones (../notify.ts): docs/api.md §6 (任务变更回调,
// @0c0e668) posts the task as application/json whenever its status or progress changes, to the
// submit's notifyHook, else the configured mj.notify-hook.
import { successButtons } from '../buttons.js';
import { ROUTE_NAMES } from '../routes.js';
import { forkButtons } from './fork.js';
import { nzk } from './nzk.js';
import { GENERIC_RULES, EMPTY_401, envelopeJson, header, seedOf, type DialectProfile, type Json } from './profile.js';

export const plus: DialectProfile = {
  name: 'plus',
  flavor: 'proxy',
  // ASSUMPTION: a Java controller returning null, as NZK's TaskController.java L37-42 (200, empty body).
  unknownIdShape: 'empty200',
  // docs/api.md §3: /submit/action and /submit/modal. ASSUMPTION: also change, simple-change, list and
  // image-seed, as NZK and the fork have them: every route the stand-in knows.
  routes: new Set(ROUTE_NAMES),
  listByIdsAlias: false,
  // ASSUMPTION: NZK's ApiAuthorizeInterceptor (mj-api-secret only, bare 401).
  gate: (req) => (header(req.headers, 'mj-api-secret') === req.apiKey ? null : EMPTY_401),
  unknownPathGate: (path, req) => nzk.unknownPathGate!(path, req),
  shapeUpstream(json) {
    // Plus tasks seen in the wild also carry botType, messageContent and finalZhPrompt in properties
    // (ASSUMPTION: always, with these values).
    const props = (json.properties ?? {}) as Json;
    return {
      ...json,
      properties: { ...props, botType: 'MID_JOURNEY', messageContent: `**${String(json.prompt)}**`, finalZhPrompt: '' },
    };
  },
  // ASSUMPTION: a Describe result carries Midjourney's own 1️⃣–4️⃣, 🔄 and 🎉 (docs/api.md §3 lists
  // PicReader among the actions it runs), as the fork copies them.
  successButtons: (action, uuid) => (action === 'DESCRIBE' ? forkButtons(action, uuid) : successButtons(action, uuid)),
  imageSeed(task, served) {
    // ASSUMPTION: answered as the fork answers it (the fork re-implements the plus API).
    if (!task || !served) return { status: 404, json: envelopeJson(3, '关联任务不存在或已失效') };
    if (served.status !== 'SUCCESS') return { status: 400, json: envelopeJson(4, '关联任务状态错误') };
    return { status: 200, json: envelopeJson(1, '成功', seedOf(task.id)) };
  },
  submit: {
    // ASSUMPTION: otherwise as NZK: 21 "任务已存在" {status, imageUrl} for a repeated U (NZK docs/api.md),
    // code 24 for a banned prompt (SubmitController.java L69-74), a task must be MODAL for /submit/modal.
    ...GENERIC_RULES,
    // docs/api.md §3 (@cd7ca8f): {"code":21,"description":"窗口等待","result":id}, no properties.
    modalWaiting: () => ({ description: '窗口等待' }),
    // docs/api.md §3: every button except Describe's 🎉 Imagine all and the upscale's ❤️.
    // ASSUMPTION: refused with code 4 and this text.
    buttonRefusal: (customId) => (/^MJ::(BOOKMARK::|Job::PicReader::all)/.test(customId) ? '不支持的操作' : null),
  },
};
