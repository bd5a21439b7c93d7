// Paid submits whose answer never came. The API may have taken (and charged) a task while the instance
// that sent it died before hearing back, or while its request timed out: nobody would follow that
// task. Every counted submit is recorded (the click log) before its request, with where it was made,
// and its signed state names that record (mj/submit-state.ts). A click still pending once no answer
// can come any more is looked for in the server's latest tasks (GET /mj/task/list, where the server
// has it: capabilities' offers.recentList) by that state, and the task found is followed in the
// channel the member used, mentioning them, like any other. One look per click at a time across
// instances (claimLook); a task some instance already follows is only marked found. A click made by
// an instance the registry counts out (killed mid-submit) cannot be answered either: it is looked for
// as soon as that is seen, not once its own answer could no longer come (PostgreSQL). Elsewhere a
// push (notifyHook) carrying the state is what finds it (webhook/feed.ts), shown the same way
// (found-target.ts) and marking the click the same way. The tasks found were paid
// for, so they are usage like any a submit's answer names: counted in the member's quota, the
// server's budget and /mjusage on the click's day, each once whoever counts it first (a push before
// the look, a second look, another instance, or the answer itself coming late: store/usage.ts), and
// the click's held places dropped with them.
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { SubmitOrigin } from '../mj/submit-state.js';
import type { ClickStore, UnansweredClick } from '../store/clicks.js';
import { isStoreWriteError } from '../store/errors.js';
import type { UsageLog } from '../store/usage.js';
import type { TaskTarget, TrackedTaskRepo } from '../store/tracked-tasks.js';
import type { Scheduler, TimerHandle } from '../tracking/scheduler.js';
import type { Tracker } from '../tracking/types.js';
import { foundTarget } from './found-target.js';

export interface SubmitRecoveryOptions {
  /** A submit's answer can come this long after its click at most (MJ_TIMEOUT_MS and a margin). */
  answerWaitMs: number;
  /** Clicks older than this are not looked for any more (the list holds the latest tasks only). */
  windowMs: number;
  /** Time between two sweeps. */
  everyMs: number;
  /** A click whose task was not in the list is looked for again after this. */
  retryMs: number;
  /** Looks per click before it is given up. */
  maxTries: number;
  /** Clicks looked for per sweep. */
  batch: number;
  /**
   * This instance and the registry's alive window (PostgreSQL): a click made by another instance
   * silent longer is looked for at once, since no answer can come to it (ClickAttempt.madeBy).
   * Unset: one instance.
   */
  registry?: { instanceId: string; aliveMs: number };
}

/** How long a click's own submit answer may still come: its request timeout, and 5 s for the rest of the submit. */
export const answerWaitMsFor = (mjTimeoutMs: number): number => mjTimeoutMs + 5_000;

export const DEFAULT_RECOVERY: Omit<SubmitRecoveryOptions, 'answerWaitMs'> = {
  windowMs: 10 * 60_000,
  everyMs: 10_000,
  retryMs: 20_000,
  maxTries: 10,
  batch: 50,
};

export interface SubmitRecoveryDeps {
  clicks: Pick<ClickStore, 'unanswered' | 'claimLook' | 'complete'>;
  tracked: Pick<TrackedTaskRepo, 'get'>;
  usage: Pick<UsageLog, 'countFound'>;
  tracker: Pick<Tracker, 'pickUp'>;
  /** Whether this server has GET /mj/task/list (asked at each sweep: the dialect is known after start). */
  listsRecent(): boolean;
  /** GET /mj/task/list. */
  recentTasks(): Promise<MjTask[]>;
  /** The signed state's origin, or null for a state the bot did not sign. */
  originOf(state: string | null | undefined): SubmitOrigin | null;
  updatesChannelFor(guildId: string | null, fallbackChannelId: string): Promise<string>;
  channelLocaleFor(guildId: string | null, guildLocale: string | null): Promise<string>;
  clock: Clock;
  scheduler: Scheduler;
  log: Logger;
  options: SubmitRecoveryOptions;
}

export interface SubmitRecovery {
  /** Sweeps now and every `everyMs` after. */
  start(): void;
  stop(): void;
  /**
   * One sweep: resolves with the clicks whose task was found. Also run when an instance is gone from
   * the registry (bot.ts), while the API's latest tasks still list what its last submits started.
   */
  sweep(): Promise<number>;
  /** One sweep now, besides the timer's (an instance gone: bot.ts); a failure is logged like the timer's. */
  sweepNow(): void;
}

/** The tasks of the list by the click their signed state names (several for a submit that started several). */
export function tasksByClick(
  tasks: readonly MjTask[],
  originOf: SubmitRecoveryDeps['originOf'],
): Map<number, MjTask[]> {
  const byClick = new Map<number, MjTask[]>();
  for (const task of tasks) {
    const clickId = originOf(task.state)?.clickId;
    if (clickId === undefined) continue;
    const found = byClick.get(clickId);
    if (found) found.push(task);
    else byClick.set(clickId, [task]);
  }
  return byClick;
}

export function createSubmitRecovery(deps: SubmitRecoveryDeps): SubmitRecovery {
  const { options: o, log } = deps;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let running: Promise<number> | null = null;

  const targetOf = async (click: UnansweredClick): Promise<TaskTarget> =>
    foundTarget(
      click,
      await deps.updatesChannelFor(click.guildId, click.channelId),
      await deps.channelLocaleFor(click.guildId, click.guildLocale),
    );

  /**
   * Follows what the click started; once every task is followed (here or by anyone), the click reads as
   * answered, pointing at the first. A task the API could not be asked about now (or the probe queue
   * was full) keeps the click pending for the next look. True when the click is answered.
   */
  const recover = async (click: UnansweredClick, tasks: readonly MjTask[]): Promise<boolean> => {
    const target = await targetOf(click);
    let settled = await countUsage(click, tasks);
    /** The message the first task is shown in, when this look shows it: what a repeat click links to. */
    let firstMessageId: string | null = null;
    for (const task of tasks) {
      // The instance that sent it stored the task before it died: its takeover finishes it.
      if (await deps.tracked.get(task.id)) continue;
      const outcome = await deps.tracker.pickUp(
        task.id,
        () => Promise.resolve(target),
        (messageId) => {
          if (task === tasks[0]) firstMessageId = messageId;
        },
      );
      if (outcome === 'unknown' || outcome === 'dropped') settled = false;
      log.info(
        { event: 'submit.recovered', clickId: click.id, taskId: task.id, outcome, channelId: target.channelId },
        'found the task of a submit whose answer never came',
      );
    }
    if (!settled) return false;
    // A push may have found one of them first: its link stays (store/clicks.ts complete).
    await deps.clicks.complete(
      click.id,
      { childTaskId: tasks[0]!.id, followChannelId: target.channelId, followMessageId: firstMessageId },
      true,
    );
    return true;
  };

  /**
   * Counts what the click started, each task once and the click closed (idempotent: see
   * store/usage.ts). A database that refuses the write keeps the click pending, so the next look
   * counts it; following goes on.
   */
  const countUsage = async (click: UnansweredClick, tasks: readonly MjTask[]): Promise<boolean> => {
    try {
      const counted = await deps.usage.countFound(
        click.id,
        tasks.map((t) => t.id),
        true,
      );
      if (counted > 0)
        log.info(
          { event: 'submit.recovered_usage', clickId: click.id, tasks: counted, guildId: click.guildId },
          'counted the tasks of a submit whose answer never came',
        );
      return true;
    } catch (err) {
      if (!isStoreWriteError(err)) throw err;
      return false;
    }
  };

  const sweepOnce = async (): Promise<number> => {
    if (!deps.listsRecent()) return 0;
    const now = deps.clock.now();
    const clicks = await deps.clicks.unanswered({
      since: now - o.windowMs,
      before: now - o.answerWaitMs,
      ...(o.registry && { silent: { since: now - o.registry.aliveMs, self: o.registry.instanceId } }),
      now,
      maxTries: o.maxTries,
      limit: o.batch,
    });
    // Nothing pending costs nothing: the list is asked only for a click to look for.
    if (clicks.length === 0) return 0;
    const byClick = tasksByClick(await deps.recentTasks(), (state) => deps.originOf(state));
    let found = 0;
    for (const click of clicks) {
      if (stopped || !(await deps.clicks.claimLook(click.id, now, now + o.retryMs))) continue;
      const tasks = byClick.get(click.id);
      if (tasks) {
        if (await recover(click, tasks)) found++;
      } else if (click.tries + 1 >= o.maxTries) {
        log.warn(
          { event: 'submit.unanswered_given_up', clickId: click.id, userId: click.userId, at: click.at },
          'a submit whose answer never came started no task the API lists',
        );
      }
    }
    return found;
  };

  const sweep = (): Promise<number> => {
    // One sweep at a time: a slow list must not stack looks behind it.
    running ??= sweepOnce().finally(() => {
      running = null;
    });
    return running;
  };

  const sweepLogged = () =>
    sweep().catch((err: unknown) =>
      log.warn({ event: 'submit.recovery_failed', err }, 'could not look for unanswered submits'),
    );
  const loop = () => {
    if (stopped) return;
    void sweepLogged().finally(() => {
      if (!stopped) timer = deps.scheduler.setTimeout(loop, o.everyMs);
    });
  };

  return {
    start: loop,
    stop() {
      stopped = true;
      if (timer !== null) deps.scheduler.clearTimeout(timer);
      timer = null;
    },
    sweep,
    sweepNow: () => void sweepLogged(),
  };
}
