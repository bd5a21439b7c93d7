// An in-process Discord for the benchmark: a ChannelMessenger (src/tracking/messenger.ts) that holds
// messages in a Map, takes a simulated round trip, and enforces one bucket per channel of 5 requests
// per 5 s over create, edit and delete together, as a sliding log of arrival times. That is stricter
// than Discord (one fixed window per route), so "0 × 429" here means 0 on Discord too. It is in-process
// rather than the HTTP Discord stand-in because at 10,000 tasks the HTTP path would measure discord.js's
// queue (it holds every bot to 50 requests/s) and the stand-in's CPU, not the tracker. Discord's global
// limit is not enforced here; the report says where a run went over it.
import { DiscordDeliveryError, type ChannelMessenger, type MessageBody } from '../src/tracking/messenger.js';

export interface DiscordSimOptions {
  limit: number;
  windowMs: number;
  /** Round trip; the request is counted by the bucket when it arrives, half-way. */
  latencyMs: number;
  /** A message that shows task `taskId` in shown state `state` now exists on Discord (at `at`). */
  onShown(taskId: string, state: number, at: number): void;
  /** Reads the shown state from the content (see scenario.ts shownState). */
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

const FOOTER = /^Task (\S+)$/;

function taskIdOf(body: MessageBody): string | null {
  const embed = body.embeds?.[0] as { footer?: { text?: unknown } } | undefined;
  const text = embed?.footer?.text;
  const m = typeof text === 'string' ? FOOTER.exec(text) : null;
  return m ? (m[1] as string) : null;
}

export function createDiscordSim(options: DiscordSimOptions): DiscordSim {
  /** Accepted arrival times per channel, oldest first (at most `limit` kept). */
  const buckets = new Map<string, number[]>();
  const messages = new Map<string, string>();
  const perSecond = new Map<number, number>();
  const counts: DiscordSimCounts = { sends: 0, edits: 0, deletes: 0, rateLimited: 0, peakPerSecond: 0 };
  let nextId = 1_400_000_000_000_000_000n;
  const half = Math.max(0, options.latencyMs / 2);
  const wait = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

  /** The request arrives: 429 when the channel already took `limit` requests in the last window. */
  async function arrive(channelId: string): Promise<void> {
    await wait(half);
    const now = Date.now();
    const second = Math.floor(now / 1000);
    const n = (perSecond.get(second) ?? 0) + 1;
    perSecond.set(second, n);
    if (n > counts.peakPerSecond) counts.peakPerSecond = n;
    if (perSecond.size > 120) perSecond.delete(perSecond.keys().next().value as number);
    let log = buckets.get(channelId);
    if (!log) buckets.set(channelId, (log = []));
    while (log.length > 0 && (log[0] as number) <= now - options.windowMs) log.shift();
    if (log.length >= options.limit) {
      counts.rateLimited++;
      const retryAfterMs = (log[0] as number) + options.windowMs - now;
      await wait(half);
      throw new DiscordDeliveryError('rate_limited', 'Discord 429 (simulated channel bucket)', undefined, retryAfterMs, 429);
    }
    log.push(now);
  }

  function shown(body: MessageBody): void {
    const taskId = taskIdOf(body);
    const state = body.content === undefined ? null : options.stateOf(body.content);
    if (taskId !== null && state !== null) options.onShown(taskId, state, Date.now());
  }

  return {
    async send(channelId, body) {
      await arrive(channelId);
      const id = String(nextId++);
      messages.set(id, channelId);
      counts.sends++;
      await wait(half);
      shown(body);
      return { id };
    },
    async edit(channelId, messageId, body) {
      await arrive(channelId);
      if (messages.get(messageId) !== channelId) throw new DiscordDeliveryError('gone', 'Unknown Message', 10008, undefined, 404);
      counts.edits++;
      await wait(half);
      shown(body);
      return { id: messageId };
    },
    async delete(channelId, messageId) {
      await arrive(channelId);
      if (!messages.delete(messageId)) throw new DiscordDeliveryError('gone', 'Unknown Message', 10008, undefined, 404);
      counts.deletes++;
      await wait(half);
    },
    counts: () => ({ ...counts }),
  };
}
