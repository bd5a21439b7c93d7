import { describe, expect, it } from 'vitest';
import { redactingMakeRequest, redactRequestBody, type MakeRequest } from '../../src/discord/redacting-rest.js';
import { createRedactor, REDACTED } from '../../src/redact.js';

const SECRET = 'whsec_0123456789abcdefABCDEF';
const redactor = createRedactor([SECRET]);

describe('the REST seam', () => {
  it('redacts a JSON body and keeps it valid JSON', () => {
    const body = JSON.stringify({ content: `hook ${encodeURIComponent(`https://h/notify/${SECRET}`)}`, embeds: [] });
    const out = redactRequestBody(body, redactor) as string;
    expect(JSON.parse(out)).toEqual({ content: `hook https%3A%2F%2Fh%2Fnotify%2F${REDACTED}`, embeds: [] });
  });

  it('redacts payload_json, text parts and file names of a multipart body, never the file bytes', async () => {
    const form = new FormData();
    const bytes = new Uint8Array([0x89, 0x50, ...new TextEncoder().encode(SECRET), 0x00, 0xff]);
    form.append('files[0]', new Blob([bytes], { type: 'image/png' }), `${SECRET}.png`);
    form.append('payload_json', JSON.stringify({ content: `a \\u0077hsec_0123456789abcdefABCDEF`, attachments: [] }));
    form.append('note', `plain ${SECRET}`);
    const out = redactRequestBody(form as never, redactor) as unknown as FormData;
    const file = out.get('files[0]') as File;
    expect(file.name).toBe(`${REDACTED}.png`);
    expect(file.type).toBe('image/png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    expect(JSON.parse(out.get('payload_json') as string)).toEqual({ content: `a ${REDACTED}`, attachments: [] });
    expect(out.get('note')).toBe(`plain ${REDACTED}`);
  });

  it('passes binary and empty bodies through, and hands every other option to the real request', async () => {
    const raw = new Uint8Array([1, 2, 3]);
    expect(redactRequestBody(raw, redactor)).toBe(raw);
    expect(redactRequestBody(null, redactor)).toBeNull();
    const seen: Array<[string, unknown]> = [];
    const send: MakeRequest = async (url, init) => {
      seen.push([url, init]);
      return { status: 204 } as never;
    };
    const dispatcher = { marker: true };
    await redactingMakeRequest(redactor, send)('https://discord.test/api/v10/channels/1/messages', {
      method: 'POST',
      headers: { Authorization: `Bot ${SECRET}` },
      body: JSON.stringify({ content: SECRET }),
      dispatcher: dispatcher as never,
    });
    expect(seen).toEqual([
      [
        'https://discord.test/api/v10/channels/1/messages',
        {
          method: 'POST',
          // The Authorization header is the token's job: it is never touched.
          headers: { Authorization: `Bot ${SECRET}` },
          body: JSON.stringify({ content: REDACTED }),
          dispatcher,
        },
      ],
    ]);
  });
});
