// The baseline the tracker is measured against: what a bot without a tracker does. Every task gets its
// own timer; each interval it fetches that one task (GET /mj/task/{id}/fetch) and edits its message
// with whatever came back, changed or not, until the task is finished. No batching, no budget, no
// coalescing: a 429 is counted (by the Discord side) and that edit is simply lost.
import type { MjApi } from '../src/mj/api.js';
import { MjTaskSchema, type MjTask } from '../src/mj/schema.js';
import { isTerminal } from '../src/mj/task.js';
import type { ChannelMessenger, MessageBody } from '../src/tracking/messenger.js';
import type { RenderFn } from '../src/tracking/payloads.js';

export interface NaivePollerDeps {
  mj: MjApi;
  messenger: ChannelMessenger;
  render: RenderFn;
  /** The tracker's fast poll interval, so both sides look equally often at a running task. */
  intervalMs: number;
}

export interface NaivePoller {
  /** Posts the "waiting" message and starts polling the task. */
  follow(taskId: string, channelId: string, requesterId: string): void;
  /** Tasks still polled. */
  active(): number;
  /** Fetches that failed (the task is polled again next interval). */
  errors(): number;
  stop(): void;
}

export function createNaivePoller(deps: NaivePollerDeps): NaivePoller {
  const timers = new Set<NodeJS.Timeout>();
  let active = 0;
  let errors = 0;
  let stopped = false;

  const bodyOf = (task: MjTask, requesterId: string): MessageBody => {
    const r = deps.render(task, { requesterId });
    return {
      content: r.content,
      embeds: r.embeds,
      components: r.components,
      allowed_mentions: r.allowed_mentions ?? { parse: [] },
    };
  };

  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(
      () => {
        timers.delete(t);
        fn();
      },
      Math.max(0, ms),
    );
    timers.add(t);
  };

  async function run(taskId: string, channelId: string, requesterId: string): Promise<void> {
    let messageId: string | null = null;
    try {
      messageId = (await deps.messenger.send(channelId, bodyOf(MjTaskSchema.parse({ id: taskId }), requesterId))).id;
    } catch {
      // A naive bot still polls; it just has nothing to edit until a send works.
    }
    let dueAt = Date.now() + deps.intervalMs;
    const poll = async (): Promise<void> => {
      if (stopped) return;
      let task: MjTask | null = null;
      try {
        task = await deps.mj.fetchTask(taskId);
      } catch {
        errors++;
      }
      if (task) {
        try {
          const body = bodyOf(task, requesterId);
          if (messageId === null) messageId = (await deps.messenger.send(channelId, body)).id;
          else await deps.messenger.edit(channelId, messageId, body);
        } catch {
          // 429 or anything else: this poll's edit is lost; the next poll edits again.
        }
        if (isTerminal(task.status)) {
          active--;
          return;
        }
      }
      // One fetch per interval, on a fixed grid; a slow answer never makes it fire twice to catch up.
      dueAt = Math.max(dueAt + deps.intervalMs, Date.now());
      later(() => void poll(), dueAt - Date.now());
    };
    later(() => void poll(), dueAt - Date.now());
  }

  return {
    follow(taskId, channelId, requesterId) {
      active++;
      void run(taskId, channelId, requesterId);
    },
    active: () => active,
    errors: () => errors,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
