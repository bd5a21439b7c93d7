// The download of a member's attachment (src/media/attachment-download.ts) against a real HTTP server on
// 127.0.0.1, named "cdn.test" through the injected resolver and allowed like Discord's CDN: every way
// it can go wrong before a paid request (a page instead of an image, too large by its header or while
// streaming without one, a redirect to a private address, a 404, a server that never answers) is a
// refusal, worded as the member's private sentence (submit/downloads.ts → replies/new-task.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { translatorFor } from '../../src/i18n/index.js';
import type { AttachmentInfo } from '../../src/media/attachment-check.js';
import { createAttachmentDownloader, type AttachmentDownload } from '../../src/media/attachment-download.js';
import type { Resolver } from '../../src/media/guarded-fetch.js';
import { newTaskInputSentence } from '../../src/replies/new-task.js';
import { downloadProblem } from '../../src/submit/downloads.js';

const MAX = 1024 * 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);

let server: Server;
let port = 0;
/** Paths asked for, in order, and whether the endless stream saw its connection closed. */
let seen: string[] = [];
let streamClosed: Promise<void> = Promise.resolve();

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  seen.push(path);
  if (path === '/ok.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  if (path === '/page.png')
    return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>Sign in</html>');
  if (path === '/declared-large.png') {
    // Says more than the cap: refused on the header, the body is never read.
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(MAX * 10) });
    return void res.write(PNG);
  }
  if (path === '/endless.png') {
    // No Content-Length: chunks until the reader hangs up.
    streamClosed = new Promise((resolve) => res.on('close', () => resolve()));
    res.writeHead(200, { 'content-type': 'image/png' });
    const more = () => {
      while (res.write(Buffer.alloc(16_384, 1)));
      res.once('drain', more);
    };
    return void more();
  }
  if (path === '/to-private') return void res.writeHead(302, { location: `http://10.0.0.7:${port}/ok.png` }).end();
  if (path === '/to-internal-name')
    return void res.writeHead(307, { location: `http://internal.test:${port}/ok.png` }).end();
  if (path === '/silent.png') return; // never answers
  res.writeHead(404, { 'content-type': 'text/plain' }).end('404: Not Found');
}

/** Every name is the local server, as a hostile zone would answer; only cdn.test is allowed to be. */
const resolveToLocal: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
const downloader = createAttachmentDownloader({
  maxBytes: MAX,
  allowedHosts: new Set(['cdn.test']),
  resolve: resolveToLocal,
  timeoutMs: 500,
});

const info = (path: string): AttachmentInfo => ({
  option: 'image1',
  filename: 'photo.png',
  url: `http://cdn.test:${port}${path}`,
  contentType: 'image/png',
  size: PNG.length,
});

/** The member's sentence for a failed download, in a language. */
function sentence(result: AttachmentDownload, locale = 'en-US'): string {
  if (result.ok) throw new Error('the download succeeded');
  return newTaskInputSentence(translatorFor(locale), downloadProblem(result, MAX));
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
beforeEach(() => {
  seen = [];
});
afterAll(async () => {
  await downloader.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('attachment download', () => {
  it('an image from the allowed CDN is a data URL of its bytes', async () => {
    const result = await downloader.download(info('/ok.png'));
    expect(result).toEqual({
      ok: true,
      image: {
        option: 'image1',
        contentType: 'image/png',
        bytes: PNG.length,
        dataUrl: `data:image/png;base64,${PNG.toString('base64')}`,
      },
    });
  });

  it('a page served where the image was (wrong content type) is refused', async () => {
    const result = await downloader.download(info('/page.png'));
    expect(result).toEqual({ ok: false, reason: 'attachment_not_image', option: 'image1' });
    expect(sentence(result)).toBe(
      '⚠️ The file in `image1` is not a PNG, JPEG, WebP or GIF image, whatever its name says. Nothing was submitted.',
    );
  });

  it('too large by its Content-Length is refused without reading on', async () => {
    const result = await downloader.download(info('/declared-large.png'));
    expect(result).toEqual({ ok: false, reason: 'attachment_too_large', option: 'image1' });
    expect(sentence(result)).toBe('⚠️ The image in `image1` is larger than 1 MB. Nothing was submitted.');
  });

  it('too large while streaming with no Content-Length: reading stops and the connection is closed', async () => {
    const result = await downloader.download(info('/endless.png'));
    expect(result).toEqual({ ok: false, reason: 'attachment_too_large', option: 'image1' });
    expect(sentence(result, 'zh-CN')).toBe('⚠️ `image1` 中的图片超过 1 MB。未提交任何内容。');
    await streamClosed;
  });

  it.each([
    ['a private address', '/to-private'],
    ['a name that resolves to a private address', '/to-internal-name'],
  ])('a redirect to %s is not followed', async (_name, path) => {
    const result = await downloader.download(info(path));
    expect(result).toEqual({ ok: false, reason: 'attachment_download_failed', option: 'image1' });
    expect(seen).toEqual([path]);
    expect(sentence(result)).toBe(
      '⚠️ The bot could not download the image in `image1` from Discord. Nothing was submitted; attach it again and retry.',
    );
  });

  it.each([
    ['a 404', '/gone.png'],
    ['a server that never answers (the download times out)', '/silent.png'],
  ])('%s is a failed download', async (_name, path) => {
    const result = await downloader.download(info(path));
    expect(result).toEqual({ ok: false, reason: 'attachment_download_failed', option: 'image1' });
    expect(sentence(result, 'zh-CN')).toBe(
      '⚠️ 机器人无法从 Discord 下载 `image1` 中的图片。未提交任何内容；请重新附加后再试。',
    );
  });
});
