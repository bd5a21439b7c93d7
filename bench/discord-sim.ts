// The naive poller's Discord: a ChannelMessenger (src/tracking/messenger.ts) in its own process that
// knows which messages exist (numbers, never bodies), takes a simulated round trip, and enforces one
// bucket per channel of 5 requests per 5 s over create, edit and delete together, as a sliding log.
// The naive side is the Midjourney-request baseline; its Discord side only has to be cheap (10,000
// tasks × an edit every 3 s would swamp the HTTP stand-in), so it is not the HTTP stand-in the bot
// talks to, and Discord's global limit is not enforced here.
import { readTaskIdFromMessage } from '../src/render/task-message-codec.js';
import { DiscordDeliveryError, type ChannelMessenger, type MessageBody } from '../src/tracking/messenger.js';

export interface DiscordSimOptions {
  limit: number;
  windowMs: number;
  /** Round trip; the request is counted by the bucket when it arrives, half-way. */
  latencyMs: number;
  /** A message that shows task `taskId` in shown state `state` now exists on Discord (at `at`). */
  onShown(taskId: string, state: number, at: number): void;
  /** Reads the shown state from the content (scenario.ts shownState, over the renderer's own reader). */
  stateOf(content: string): number | null;
}

export interface DiscordSimCounts {
  sends: number;
  edits: number;
  deletes: number;
  rateLimited: number;
  peakPerSecond: number;
}

export interface DiscordSim extends ChannelMessenger {
  counts(): DiscordSimCounts;
}

/** The array, or a copy at least twice as long (and at least `size`) whose new slots are 0. */
const grown = <T extends Float64Array | Int32Array>(a: T, size: number, make: (n: number) => T): T => {
  if (size <= a.length) return a;
  const b = make(Math.max(size, a.length * 2));
  b.set(a);
  return b;
};

export function createDiscordSim(options: DiscordSimOptions): DiscordSim {
  // Compact numeric bookkeeping, no per-message objects: this runs inside the side process, and at
  // 10,000 tasks whatever it holds would be charged to the RSS the side reports for the bot.
  /** Channel id → small number (index into the arrays below). */
  const channelNo = new Map<string, number>();
  /** Per channel, the last `limit` accepted arrival times as a ring (0: empty slot), and the ring's next write position. */
  let arrivals = new Float64Array(0);
  let ringPos = new Int32Array(0);
  /** Per message (id − FIRST_ID), its channel number + 1; 0 once deleted. */
  let messageChannel = new Int32Array(0);
  const perSecond = new Map<number, number>();
  const counts: DiscordSimCounts = { sends: 0, edits: 0, deletes: 0, rateLimited: 0, peakPerSecond: 0 };
  const FIRST_ID = 1_400_000_000_000_000_000n;
  let sent = 0;
  const half = Math.max(0, options.latencyMs / 2);
  const limit = Math.max(1, options.limit);
  const wait = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

  const numberOf = (channelId: string): number => {
    let n = channelNo.get(channelId);
    if (n === undefined) {
      channelNo.set(channelId, (n = channelNo.size));
      arrivals = grown(arrivals, (n + 1) * limit, (k) => new Float64Array(k));
      ringPos = grown(ringPos, n + 1, (k) => new Int32Array(k));
    }
    return n;
  };
  /** The message's index, or -1 for an id this sim never gave out. */
  const messageIndex = (messageId: string): number => {
    const i = /^\d+$/.test(messageId) ? BigInt(messageId) - FIRST_ID : -1n;
    return i >= 0n && i < BigInt(sent) ? Number(i) : -1;
  };
  const exists = (channelId: string, messageId: string): number => {
    const i = messageIndex(messageId);
    return i >= 0 && messageChannel[i] === numberOf(channelId) + 1 ? i : -1;
  };

  /** The request arrives: 429 when the channel already took `limit` requests in the last window. */
  async function arrive(channelId: string): Promise<void> {
    await wait(half);
    const now = Date.now();
    const second = Math.floor(now / 1000);
    const n = (perSecond.get(second) ?? 0) + 1;
    perSecond.set(second, n);
    if (n > counts.peakPerSecond) counts.peakPerSecond = n;
    if (perSecond.size > 120) perSecond.delete(perSecond.keys().next().value as number);
    const base = numberOf(channelId) * limit;
    const pos = ringPos[base / limit] as number;
    // The slot about to be overwritten holds the oldest of the last `limit` arrivals.
    const oldest = arrivals[base + pos] as number;
    if (oldest > now - options.windowMs) {
      counts.rateLimited++;
      const retryAfterMs = oldest + options.windowMs - now;
      await wait(half);
      throw new DiscordDeliveryError(
        'rate_limited',
        'Discord 429 (simulated channel bucket)',
        undefined,
        retryAfterMs,
        429,
      );
    }
    arrivals[base + pos] = now;
    ringPos[base / limit] = (pos + 1) % limit;
  }

  function shown(body: MessageBody): void {
    const taskId = readTaskIdFromMessage(body as Parameters<typeof readTaskIdFromMessage>[0]);
    const state = body.content === undefined ? null : options.stateOf(body.content);
    if (taskId !== null && state !== null) options.onShown(taskId, state, Date.now());
  }

  return {
    async send(channelId, body) {
      await arrive(channelId);
      const i = sent++;
      messageChannel = grown(messageChannel, sent, (k) => new Int32Array(k));
      messageChannel[i] = numberOf(channelId) + 1;
      counts.sends++;
      await wait(half);
      shown(body);
      return { id: String(FIRST_ID + BigInt(i)) };
    },
    async edit(channelId, messageId, body) {
      await arrive(channelId);
      if (exists(channelId, messageId) === -1)
        throw new DiscordDeliveryError('gone', 'Unknown Message', 10008, undefined, 404);
      counts.edits++;
      await wait(half);
      shown(body);
      return { id: messageId };
    },
    async delete(channelId, messageId) {
      await arrive(channelId);
      const i = exists(channelId, messageId);
      if (i === -1) throw new DiscordDeliveryError('gone', 'Unknown Message', 10008, undefined, 404);
      messageChannel[i] = 0;
      counts.deletes++;
      await wait(half);
    },
    counts: () => ({ ...counts }),
  };
}
