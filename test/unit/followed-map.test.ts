// FollowedMap: the tracker's followed tasks with each member's task ids beside them, so the running
// cap's count reads only that member's tasks. Plain data.
import { describe, expect, it } from 'vitest';
import type { Followed } from '../../src/tracking/follow-effects.js';
import { FollowedMap } from '../../src/tracking/followed-map.js';

const followed = (taskId: string, requesterId: string | null): Followed =>
  ({
    state: { tracked: { taskId, requesterId } },
    delivery: null,
    lastPublish: null,
    via: null,
  }) as unknown as Followed;

const idsOf = (map: FollowedMap, userId: string) => [...map.ofRequester(userId)].map((f) => f.state.tracked.taskId);

describe('FollowedMap', () => {
  it("lists a member's tasks only, and forgets them as they leave", () => {
    const map = new FollowedMap();
    map.set('t1', followed('t1', 'ana')).set('t2', followed('t2', 'bo')).set('t3', followed('t3', 'ana'));
    map.set('t4', followed('t4', null));
    expect(idsOf(map, 'ana')).toEqual(['t1', 't3']);
    expect(idsOf(map, 'bo')).toEqual(['t2']);
    expect(map.size).toBe(4);
    expect(map.delete('t1')).toBe(true);
    expect(map.delete('t1')).toBe(false);
    expect(idsOf(map, 'ana')).toEqual(['t3']);
    map.delete('t3');
    expect(idsOf(map, 'ana')).toEqual([]);
    expect(idsOf(map, 'nobody')).toEqual([]);
  });

  it('moves a task replaced under another requester, and empties with clear()', () => {
    const map = new FollowedMap();
    map.set('t1', followed('t1', 'ana'));
    map.set('t1', followed('t1', 'bo'));
    expect(idsOf(map, 'ana')).toEqual([]);
    expect(idsOf(map, 'bo')).toEqual(['t1']);
    // Replaced by the same requester: listed once.
    map.set('t1', followed('t1', 'bo'));
    expect(idsOf(map, 'bo')).toEqual(['t1']);
    map.clear();
    expect(idsOf(map, 'bo')).toEqual([]);
    expect(map.size).toBe(0);
  });
});
