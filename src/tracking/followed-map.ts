// The tracker's followed tasks by id, with the ids of each member's tasks beside them: every paid
// submit asks how many tasks its member has running (MAX_RUNNING_TASKS_PER_MEMBER), and at 10,000
// tasks in flight a walk over all of them per submit was most of the bot's CPU during a burst.
import type { Followed } from './follow-effects.js';

const NO_TASKS: ReadonlySet<string> = new Set();

export class FollowedMap extends Map<string, Followed> {
  /** Task ids by requester. A task's requester never changes while it is followed. */
  private readonly byRequester = new Map<string, Set<string>>();

  override set(taskId: string, f: Followed): this {
    const previous = super.get(taskId);
    if (previous && previous.state.tracked.requesterId !== f.state.tracked.requesterId) this.unindex(taskId, previous);
    super.set(taskId, f);
    const requester = f.state.tracked.requesterId;
    if (requester !== null) {
      let ids = this.byRequester.get(requester);
      if (!ids) this.byRequester.set(requester, (ids = new Set()));
      ids.add(taskId);
    }
    return this;
  }

  override delete(taskId: string): boolean {
    const f = super.get(taskId);
    if (f) this.unindex(taskId, f);
    return super.delete(taskId);
  }

  override clear(): void {
    this.byRequester.clear();
    super.clear();
  }

  /** The followed tasks this member started (running or not), without a walk over everyone's. */
  *ofRequester(userId: string): IterableIterator<Followed> {
    for (const taskId of this.byRequester.get(userId) ?? NO_TASKS) {
      const f = super.get(taskId);
      if (f) yield f;
    }
  }

  private unindex(taskId: string, f: Followed): void {
    const requester = f.state.tracked.requesterId;
    if (requester === null) return;
    const ids = this.byRequester.get(requester);
    ids?.delete(taskId);
    if (ids?.size === 0) this.byRequester.delete(requester);
  }
}
