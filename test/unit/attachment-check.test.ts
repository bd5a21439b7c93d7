// The attachment rules, from Discord's metadata alone (src/media/attachment-check.ts), and the type the
// bytes say.
import { describe, expect, it } from 'vitest';
import {
  checkAttachment,
  DISCORD_CDN_ORIGINS,
  firstAttachmentProblem,
  sniffImageType,
  type AttachmentInfo,
} from '../../src/media/attachment-check.js';

const rules = { maxBytes: 10 * 1024 * 1024, origins: DISCORD_CDN_ORIGINS };
const info = (over: Partial<AttachmentInfo> = {}): AttachmentInfo => ({
  option: 'image1',
  filename: 'fox.png',
  url: 'https://cdn.discordapp.com/ephemeral-attachments/1/2/fox.png?ex=1&is=2&hm=3&',
  contentType: 'image/png',
  size: 1234,
  ...over,
});

describe('checkAttachment', () => {
  it('accepts PNG, JPEG (also said image/jpg), WebP and GIF from either Discord CDN host', () => {
    for (const contentType of ['image/png', 'image/jpeg', 'image/jpg', 'image/webp', 'image/gif', 'IMAGE/PNG; x=1'])
      expect(checkAttachment(info({ contentType }), rules), contentType).toBeNull();
    const media = 'https://media.discordapp.net/ephemeral-attachments/1/2/fox.png';
    expect(checkAttachment(info({ url: media }), rules)).toBeNull();
  });

  it('refuses other types, a missing type, and SVG (a script can hide in it)', () => {
    for (const contentType of ['text/plain', 'image/svg+xml', 'video/mp4', null])
      expect(checkAttachment(info({ contentType }), rules)?.reason, String(contentType)).toBe('attachment_not_image');
  });

  it('refuses more than the limit, and an empty or unknown size', () => {
    expect(checkAttachment(info({ size: rules.maxBytes }), rules)).toBeNull();
    for (const size of [rules.maxBytes + 1, 0, Number.NaN])
      expect(checkAttachment(info({ size }), rules)?.reason, String(size)).toBe('attachment_too_large');
  });

  it('refuses links that are not on the CDN: other hosts, http, look-alikes, private addresses', () => {
    for (const url of [
      'http://cdn.discordapp.com/attachments/1/2/a.png',
      'https://cdn.discordapp.com.evil.example/a.png',
      'https://evil.example/cdn.discordapp.com/a.png',
      'https://127.0.0.1/a.png',
      'not a url',
    ])
      expect(checkAttachment(info({ url }), rules)?.reason, url).toBe('attachment_not_on_cdn');
  });

  it('a configured CDN origin (DISCORD_CDN_URL) is accepted with its port', () => {
    const local = { ...rules, origins: [...DISCORD_CDN_ORIGINS, 'http://127.0.0.1:8081'] };
    expect(checkAttachment(info({ url: 'http://127.0.0.1:8081/cdn/a.png' }), local)).toBeNull();
    expect(checkAttachment(info({ url: 'http://127.0.0.1:8082/cdn/a.png' }), local)?.reason).toBe(
      'attachment_not_on_cdn',
    );
  });

  it('the first problem in option order is the answer', () => {
    const problems = [info(), info({ option: 'image2', size: 0 }), info({ option: 'image3', contentType: null })];
    expect(firstAttachmentProblem(problems, rules)).toMatchObject({ option: 'image2', reason: 'attachment_too_large' });
  });
});

describe('sniffImageType', () => {
  it('reads the magic numbers, not the name', () => {
    expect(sniffImageType(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImageType(Buffer.from('ffd8ffe000', 'hex'))).toBe('image/jpeg');
    expect(sniffImageType(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});
