// The publisher's image prefetch when many results finish at once: a channel's first results download
// first, across channels (each channel's bucket lets only 5 results out per 5 s window, so a sixth
// image can wait while another channel's first cannot), within the concurrency limit.
import { describe, expect, it } from 'vitest';
import type { DownloadedImage } from '../../src/media/image-download.js';
import type { MessageSlot } from '../../src/tracking/message-slot.js';
import { createImagePrefetch } from '../../src/tracking/message-writer.js';
import { success, tracked } from './tracker-worlds.js';

function slotIn(channelId: string, key: string): MessageSlot {
  return {
    key,
    channelId,
    messageId: null,
    lastHash: null,
    queued: null,
    inFlight: false,
    readyIn: null,
    readyLane: channelId,
    via: null,
  };
}

describe('image prefetch', () => {
  it("downloads each channel's first results before any channel's later ones, one at a time at concurrency 1", async () => {
    const order: string[] = [];
    const open: Array<() => void> = [];
    const images = {
      download: (url: string) =>
        new Promise<DownloadedImage | null>((resolve) => {
          order.push(url.split('/').pop()!);
          open.push(() => resolve({ name: 'a.png', contentType: 'image/png', data: Buffer.from('x') }));
        }),
    };
    const prefetch = createImagePrefetch(images, 1);
    const update = (id: string) => success(tracked(id), `https://cdn.example.com/${id}`);
    const started = [
      ['A', 'a1'],
      ['A', 'a2'],
      ['A', 'a3'],
      ['B', 'b1'],
      ['C', 'c1'],
      ['B', 'b2'],
    ].map(([channel, id]) => prefetch(slotIn(channel!, id!), update(id!)));
    while (open.length > 0 || order.length < 6) {
      await Promise.resolve();
      open.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(started);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });
});
