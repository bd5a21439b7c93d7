import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentName, createImageDownloader } from '../../src/media/image-download.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2_000, 7)]);
/** This file's server is on 127.0.0.1, which only an allow-list entry makes downloadable. */
const LOCAL = new Set(['127.0.0.1']);
let server: Server;
let base: string;
/** Bytes the server managed to write for the streamed oversize answer before the client hung up. */
let streamedBytes = 0;
let streamClosed: Promise<void>;

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  switch (url.pathname) {
    case '/attachments/1/2/cat%20(1)_grid.png':
    case '/ok.png':
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
      return void res.end(PNG);
    case '/webp':
      res.writeHead(200, { 'content-type': 'image/webp; charset=binary' });
      return void res.end(PNG);
    case '/videos/42.mp4':
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': PNG.length });
      return void res.end(PNG);
    case '/html':
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html>login</html>');
    case '/missing':
      res.writeHead(404, { 'content-type': 'image/png' });
      return void res.end();
    case '/declared-huge':
      // Claims 50 MB; the client must not read it.
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': 50_000_000 });
      return void res.write(PNG);
    case '/streamed-huge': {
      // No Content-Length: the cap must stop the read while streaming.
      res.writeHead(200, { 'content-type': 'image/png' });
      streamedBytes = 0;
      let done: () => void = () => {};
      streamClosed = new Promise<void>((r) => (done = r));
      const chunk = Buffer.alloc(16_384, 1);
      const pump = () => {
        while (!res.destroyed && streamedBytes < 20_000_000) {
          streamedBytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => done());
      return pump();
    }
    case '/redirect':
      res.writeHead(302, { location: '/ok.png' });
      return void res.end();
    case '/slow':
      res.writeHead(200, { 'content-type': 'image/png' });
      return void res.write(PNG.subarray(0, 10)); // never ends
    default:
      res.writeHead(500);
      res.end();
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('image download', () => {
  const downloader = createImageDownloader({ maxBytes: 100_000, timeoutMs: 2_000, allowedHosts: LOCAL });

  it('downloads an image with a safe attachment name', async () => {
    const image = await downloader.download(`${base}/attachments/1/2/cat%20(1)_grid.png?ex=1&is=2&hm=abc`);
    expect(image).not.toBeNull();
    expect(image?.contentType).toBe('image/png');
    expect(image?.data.equals(PNG)).toBe(true);
    expect(image?.name).toBe('cat_1_grid.png');
  });

  it('follows a redirect and names the file after the content type', async () => {
    expect((await downloader.download(`${base}/redirect`))?.data.length).toBe(PNG.length);
    expect((await downloader.download(`${base}/webp`))?.name).toBe('webp.webp');
  });

  it('refuses answers that are not images, failed answers, and non-http URLs', async () => {
    expect(await downloader.download(`${base}/html`)).toBeNull();
    expect(await downloader.download(`${base}/missing`)).toBeNull();
    expect(await downloader.download(`${base}/error`)).toBeNull();
    expect(await downloader.download('file:///etc/passwd')).toBeNull();
    expect(await downloader.download('data:image/png;base64,iVBORw0KGgo=')).toBeNull();
    expect(await downloader.download('not a url')).toBeNull();
  });

  it('refuses a declared size above the cap without reading the body', async () => {
    const started = Date.now();
    expect(await downloader.download(`${base}/declared-huge`)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('stops reading a streamed body as soon as it passes the cap', async () => {
    expect(await downloader.download(`${base}/streamed-huge`)).toBeNull();
    await streamClosed;
    // The server was cut off long before its 20 MB (socket buffers allow some slack beyond the 100 kB cap).
    expect(streamedBytes).toBeLessThan(5_000_000);
  });

  it('gives up after the timeout', async () => {
    const quick = createImageDownloader({ timeoutMs: 200, allowedHosts: LOCAL });
    const started = Date.now();
    expect(await quick.download(`${base}/slow`)).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('builds names from odd URLs', () => {
    expect(attachmentName(new URL('https://x/mj/image/1700000000000001'), 'image/jpeg')).toBe('1700000000000001.jpg');
    expect(attachmentName(new URL('https://x/'), 'image/png')).toBe('image.png');
    expect(attachmentName(new URL('https://x/%E0%A4%A.png'), 'image/png')).toMatch(/^[A-Za-z0-9._-]+\.png$/);
    expect(attachmentName(new URL(`https://x/${'a'.repeat(300)}.png`), 'image/png').length).toBeLessThanOrEqual(100);
  });

  it("a video task's mp4 is downloaded as a video, never as an image, within the same cap", async () => {
    const d = createImageDownloader({ allowedHosts: LOCAL });
    expect(await d.download(`${base}/videos/42.mp4`)).toBeNull();
    expect(await d.download(`${base}/videos/42.mp4`, 'video')).toMatchObject({
      name: '42.mp4',
      contentType: 'video/mp4',
    });
    expect(await d.download(`${base}/ok.png`, 'video')).toBeNull();
    expect(
      await createImageDownloader({ allowedHosts: LOCAL, maxBytes: 100 }).download(`${base}/videos/42.mp4`, 'video'),
    ).toBeNull();
  });
});
