// Runs one effect the task's state asked for (task-state.ts decides, this does): a store write, a
// publish, a result delivery, a poll scheduled, the task forgotten, a log line. Apart from the
// tracker so that its file keeps to the flow of following a task.
import type { EventLog } from '../log.js';
import { logRejected } from './failures.js';
import type { FollowEffects, Followed } from './follow-effects.js';
import { earlyPollFacts, type TaskEffect } from './followed-task.js';
import type { PollLoop } from './poll-loop.js';
import type { WorkSet } from './work-set.js';

export interface EffectContext {
  readonly work: WorkSet;
  readonly effects: FollowEffects;
  readonly loop: PollLoop;
  /** The tracker's followed tasks: an ended task leaves it. */
  readonly followed: Map<string, Followed>;
  readonly log: EventLog;
}

/** Starts the effect; the promise (when there is one) is what stop() and idle() must wait for. */
export function runTaskEffect(ctx: EffectContext, f: Followed, effect: TaskEffect): Promise<void> | null {
  const { taskId } = f.state.tracked;
  switch (effect.kind) {
    case 'save': {
      // Issued now (or, one that may wait, joined to the task's pending one), so a task's writes
      // reach the store in the order of its steps.
      const saving = ctx.effects.save(f, effect.patch, effect.lazy === true);
      return saving && ctx.work.track(logRejected(ctx.log, 'store update', saving));
    }
    case 'publishProgress':
      void ctx.effects.publishProgress(f);
      break;
    case 'deliverResult':
      void ctx.effects.deliverResult(f);
      break;
    case 'pollAt':
      ctx.loop.pollAt(taskId, effect.at, earlyPollFacts(f.state));
      break;
    case 'retryResultAt':
      ctx.loop.resultAt(taskId, effect.at);
      break;
    case 'end':
      ctx.followed.delete(taskId);
      ctx.loop.forget(taskId);
      break;
    case 'removeProgress':
      return ctx.work.track(ctx.effects.removeProgress(f.state.tracked, effect.messageId));
    case 'log':
      ctx.log[effect.level](effect.fields, effect.msg);
      break;
  }
  return null;
}
