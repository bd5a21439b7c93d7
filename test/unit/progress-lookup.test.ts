// Finding a task's progress follow-up made before a restart (tracking/progress-lookup.ts): which
// listed messages are ours, with plain message data; then the publisher's lookup through a channel
// messenger that lists pages (one request per page, a 429 waited out, a failure finds nothing).
import { describe, expect, it } from 'vitest';
import { taskIdLine } from '../../src/render/task-message-codec.js';
import { DiscordDeliveryError, type ListedMessage } from '../../src/tracking/messenger.js';
import {
  FOLLOW_UP_WINDOW_MS,
  MAX_LISTED_MESSAGES,
  MAX_LOOKUP_PAGES,
  nextPageAfter,
  progressFollowUps,
  snowflakeTime,
} from '../../src/tracking/progress-lookup.js';
import { createPublisher } from '../../src/tracking/publisher.js';
import { createFakeDiscord, createManualTime, createTestRender } from './tracker-fakes.js';

const EPOCH = 1_420_070_400_000;
/** The snowflake Discord would give something made at `ms` (the sequence bits keep ids apart). */
const idAt = (ms: number, sequence = 0) => String((BigInt(ms - EPOCH) << 22n) | BigInt(sequence));

const T0 = Date.UTC(2026, 11, 3, 17, 0, 0);
const INTERACTION = idAt(T0);
const TASK = '1733000000000001';
const key = { interactionId: INTERACTION, taskId: TASK };

/** A message as the channel lists it: its content ends with the task's id line when it shows one. */
const listed = (id: string, taskId: string | null, interactionId: string | null = INTERACTION): ListedMessage => ({
  id,
  content: `**a lantern in the fog** - <@42> (fast)${taskId ? `\n${taskIdLine(taskId)}` : ''}`,
  interactionId,
});

describe('progressFollowUps: which listed message is ours', () => {
  it('the follow-up of our interaction that shows our task', () => {
    const ours = listed(idAt(T0 + 2_000), TASK);
    const page = [listed(idAt(T0 + 5_000), null, null), ours, listed(idAt(T0 + 1_000), '1733000000000099', null)];
    expect(progressFollowUps(page, key)).toEqual([ours.id]);
  });

  it('none: only members’ messages, another interaction’s follow-up, an empty page', () => {
    const page = [
      listed(idAt(T0 + 1_000), null, null),
      // Same task line, but answering another interaction (another member quoting it, a second submit).
      listed(idAt(T0 + 2_000), TASK, idAt(T0 - 60_000)),
      // Our task's line in a member's message (no interaction).
      listed(idAt(T0 + 3_000), TASK, null),
    ];
    expect(progressFollowUps(page, key)).toEqual([]);
    expect(progressFollowUps([], key)).toEqual([]);
  });

  it("another task's id line: the same interaction's other follow-ups (imagine all) are not ours", () => {
    const siblings = ['1733000000000002', '1733000000000003'].map((t, i) => listed(idAt(T0 + 3_000 + i), t));
    const ours = listed(idAt(T0 + 2_000), TASK);
    expect(progressFollowUps([...siblings, ours], key)).toEqual([ours.id]);
    expect(progressFollowUps(siblings, key)).toEqual([]);
    // A task id that only starts like ours is another task.
    expect(progressFollowUps([listed(idAt(T0 + 4_000), `${TASK}0`)], key)).toEqual([]);
  });

  it('several: oldest first whatever the listing order (Discord lists newest first)', () => {
    const first = listed(idAt(T0 + 2_000), TASK);
    const again = listed(idAt(T0 + 2_000, 1), TASK);
    const later = listed(idAt(T0 + 9_000), TASK);
    expect(progressFollowUps([later, again, first], key)).toEqual([first.id, again.id, later.id]);
  });
});

describe('nextPageAfter: whether another page may hold the follow-up', () => {
  const fullPage = (fromMs: number) =>
    Array.from({ length: MAX_LISTED_MESSAGES }, (_, i) => listed(idAt(fromMs + i), null, null)).reverse();

  it('a page that is not full is the last', () => {
    expect(nextPageAfter(fullPage(T0 + 1).slice(1), INTERACTION, 1)).toBeNull();
    expect(nextPageAfter([], INTERACTION, 1)).toBeNull();
  });

  it('a full page inside the follow-up window goes on after its newest message', () => {
    const page = fullPage(T0 + 1);
    expect(nextPageAfter(page, INTERACTION, 1)).toBe(idAt(T0 + MAX_LISTED_MESSAGES));
  });

  it('stops past the window (no follow-up is made after the token’s 15 minutes) and after the page bound', () => {
    expect(nextPageAfter(fullPage(T0 + FOLLOW_UP_WINDOW_MS + 1), INTERACTION, 1)).toBeNull();
    expect(nextPageAfter(fullPage(T0 + 1), INTERACTION, MAX_LOOKUP_PAGES)).toBeNull();
  });

  it('reads the time a snowflake carries', () => {
    expect(snowflakeTime(INTERACTION)).toBe(T0);
    expect(snowflakeTime('not an id')).toBeNaN();
  });
});

describe('publisher.findProgress', () => {
  /** A publisher whose channel lists `pages` in turn (or throws what `fail` gives), recording each `after`. */
  function setup(pages: ListedMessage[][], fail?: (call: number) => Error | null) {
    const time = createManualTime();
    const discord = createFakeDiscord(time);
    const asked: string[] = [];
    const messenger = Object.assign(discord, {
      listAfter: (_channelId: string, afterId: string, limit: number) => {
        expect(limit).toBeLessThanOrEqual(MAX_LISTED_MESSAGES);
        asked.push(afterId);
        const err = fail?.(asked.length);
        if (err) return Promise.reject(err);
        return Promise.resolve(pages.shift() ?? []);
      },
    });
    const publisher = createPublisher({
      messenger,
      render: createTestRender(),
      clock: time.clock,
      scheduler: time.scheduler,
    });
    return { time, publisher, asked };
  }

  it('reads a second page when the first is full, one request each, and finds the follow-up there', async () => {
    const busy = Array.from({ length: MAX_LISTED_MESSAGES }, (_, i) => listed(idAt(T0 + 100 + i), null, null));
    const ours = listed(idAt(T0 + 30_000), TASK);
    const s = setup([busy.reverse(), [ours]]);
    const found = s.publisher.findProgress('900', key);
    await s.time.advance(1_000);
    expect(await found).toEqual([ours.id]);
    expect(s.asked).toEqual([INTERACTION, idAt(T0 + 100 + MAX_LISTED_MESSAGES - 1)]);
  });

  it('waits out a 429 and asks again; any other failure finds nothing', async () => {
    const ours = listed(idAt(T0 + 2_000), TASK);
    const limited = setup([[ours]], (n) =>
      n === 1 ? new DiscordDeliveryError('rate_limited', '429', undefined, 500, 429) : null,
    );
    const found = limited.publisher.findProgress('900', key);
    await limited.time.advance(1_000);
    expect(await found).toEqual([ours.id]);
    expect(limited.asked).toEqual([INTERACTION, INTERACTION]);

    const refused = setup([[ours]], () => new DiscordDeliveryError('gone', 'Missing Access', 50001, undefined, 403));
    const none = refused.publisher.findProgress('900', key);
    await refused.time.advance(1_000);
    expect(await none).toEqual([]);
  });

  it('finds nothing once closed', async () => {
    const s = setup([[listed(idAt(T0 + 2_000), TASK)]]);
    await s.publisher.close();
    expect(await s.publisher.findProgress('900', key)).toEqual([]);
    expect(s.asked).toEqual([]);
  });
});
