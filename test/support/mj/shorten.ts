// /submit/shorten on the stand-in: a prompt → Midjourney's analysis and five shorter prompts.
// - midjourney-proxy-plus docs/api.md §5: {prompt}; the finished SHORTEN task holds in properties.finalPrompt
//   "## Important tokens\n<the prompt, **important** and ~~droppable~~ tokens marked>\n## Shortened
//   prompts\n1️⃣ …\n\n2️⃣ …\n\n…5️⃣ …"; its buttons imagine a line (PromptAnalyzer, MODAL first: §3).
// - trueai-org/midjourney-proxy: SubmitController.cs L345-376 (SubmitImagineDTO: prompt, botType,
//   accountFilter; description "/shorten <prompt>"); DiscordWebSocketService.cs L2705-2714 keeps the
//   embed's text as description and finalPrompt.
// - Calcium-Ion/new-api relays it (router/relay-router.go L87; relay/relay-mj.go L386-387) as mj_shorten.
import { hookOf, speedAndBot, type SubmitDeps } from './submit.js';
import {
  accepted,
  aggregatorRewrite,
  CREATES_TASK,
  envelope,
  forcedFailure,
  ok,
  str,
  type Reply,
} from './submit-replies.js';

type Json = Record<string, unknown>;

export function submitShorten(deps: SubmitDeps, body: Json, path = ''): Reply {
  const prompt = str(body.prompt).trim();
  if (prompt === '') return ok(envelope(4, 'prompt不能为空', null));
  const forced = deps.takeForced('shorten');
  if (forced && !CREATES_TASK.has(forced.code)) return forcedFailure(deps.store, forced, prompt);
  const task = deps.store.create(
    {
      action: 'SHORTEN',
      prompt,
      description: `/shorten ${prompt}`,
      state: str(body.state),
      startedAt: deps.now(),
      ...(hookOf(deps, body) && { notifyHook: hookOf(deps, body) }),
    },
    deps.takeTaskOptions(prompt),
  );
  Object.assign(task, speedAndBot(body, prompt, path));
  deps.changed(task);
  const reply = accepted(deps, task, forced, false);
  return deps.flavor === 'aggregator' ? aggregatorRewrite(reply, task.aggregatorAction) : reply;
}
