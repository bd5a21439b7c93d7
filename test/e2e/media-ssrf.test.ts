// Result images come only from public addresses (issue 12, M1): with MEDIA_ALLOWED_HOSTS off, a task
// whose imageUrl points at 127.0.0.1 is shown with its link, and nothing reaches the internal server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, startTrackingHarness, statusField } from '../support/tracking-e2e.js';

let h: Harness;
let internal: Server;
let internalBase = '';
const internalRequests: string[] = [];

beforeAll(async () => {
  // Stands for an admin panel or metadata service the bot's host can reach and members must not.
  internal = createServer((req, res) => {
    internalRequests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.from('internal secret'));
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  internalBase = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
  h = await startTrackingHarness({ env: { MEDIA_ALLOWED_HOSTS: '' } });
});
afterAll(async () => {
  await h?.close();
  internal.closeAllConnections();
  await new Promise<void>((resolve) => internal.close(() => resolve()));
});

const embedImage = (message: { embeds: unknown[] }) => (message.embeds[0] as { image?: { url?: string } }).image?.url;

describe('a result image on an internal address', () => {
  it('is linked, not downloaded, and no request reaches the internal server', async () => {
    const imageUrl = `${internalBase}/admin/backup.png?token=abc`;
    h.mj.nextTask({ imageUrl });
    const started = await imagine(h, 'an innocent cat');
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result message');
    expect(result.attachments).toHaveLength(0);
    expect(embedImage(result)).toBe(imageUrl);
    expect(statusField(result)).toBe('');
    expect(internalRequests).toEqual([]);
    const refused = h.logLines().filter((l) => l.includes('"event":"media.refused"'));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('"host":"127.0.0.1"');
    expect(refused[0]).not.toContain('token=abc');
  });

  it('also holds for the API host itself when it is not listed (the stand-in is on 127.0.0.1 too)', async () => {
    const started = await imagine(h, 'a second cat');
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result message');
    expect(result.attachments).toHaveLength(0);
    expect(embedImage(result)).toBe(`${h.mj.baseUrl}/images/${started.taskId}.png`);
    expect(h.mj.requests.filter((r) => r.path.includes('/images/'))).toHaveLength(0);
  });
});
