// Pure body helpers of the MJ client: big-id quoting, body kinds, snippets, Retry-After.
import { describe, expect, it } from 'vitest';
import { describeBody, parseBody, parseRetryAfter, quoteLargeIds, sanitizeSnippet } from '../../src/mj/http-body.js';

describe('quoteLargeIds', () => {
  it('quotes 16+ digit integers under id and result, in objects, arrays and result arrays', () => {
    expect(quoteLargeIds('{"id":1234567890123456789}')).toBe('{"id":"1234567890123456789"}');
    expect(quoteLargeIds('[{"id" : 1234567890123456789 , "x":1}]')).toBe('[{"id" : "1234567890123456789" , "x":1}]');
    expect(quoteLargeIds('{"code":1,"result":[1234567890123456789,9223372036854775807]}')).toBe(
      '{"code":1,"result":["1234567890123456789","9223372036854775807"]}',
    );
    expect(JSON.parse(quoteLargeIds('{"result":1234567890123456789}'))).toEqual({ result: '1234567890123456789' });
  });

  it('leaves other keys, short numbers, floats, and look-alikes inside strings alone', () => {
    const untouched = [
      '{"discordInstanceId":1118138338562560102}',
      '{"id":123456789012345}',
      '{"id":1234567890123456.5}',
      '{"id":1234567890123456e3}',
      '{"prompt":"\\"id\\":1234567890123456789","n":1}',
      '{"prompt":"a \\\\","other":1234567890123456789}',
      '{"properties":{"ids":[1234567890123456789]}}',
      '[1234567890123456789]',
    ];
    for (const text of untouched) expect(quoteLargeIds(text)).toBe(text);
  });

  it('tracks keys per nesting level', () => {
    expect(quoteLargeIds('{"id":{"x":1},"n":1234567890123456789}')).toBe('{"id":{"x":1},"n":1234567890123456789}');
    expect(quoteLargeIds('{"a":{"b":1},"id":1234567890123456789}')).toBe('{"a":{"b":1},"id":"1234567890123456789"}');
  });
});

describe('parseBody', () => {
  it('classifies bodies', () => {
    expect(parseBody('').kind).toBe('empty');
    expect(parseBody(' \n').kind).toBe('empty');
    expect(parseBody('null').kind).toBe('empty');
    expect(parseBody('  <!DOCTYPE html>').kind).toBe('html');
    expect(parseBody('{"a":').kind).toBe('malformed');
    expect(parseBody('{"id":1234567890123456789}')).toEqual({ kind: 'json', value: { id: '1234567890123456789' } });
  });
});

describe('snippets', () => {
  it('redacts the secret, strips tags and control characters, and truncates to 200', () => {
    expect(sanitizeSnippet('bad key sk-abc in <b>header</b>\n\tnow', 'sk-abc')).toBe('bad key *** in header now');
    const long = sanitizeSnippet('y'.repeat(1000), 'sk');
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.endsWith('…')).toBe(true);
  });

  it('describes bodies in their dialect', () => {
    expect(describeBody('<html><h1>Bad</h1></html>', 502, 'k')).toBe('an HTML page (HTTP 502)');
    expect(describeBody('', 500, 'k')).toBe('an empty body (HTTP 500)');
    expect(describeBody('{"description":"quota exhausted ","code":4}', 400, 'k')).toBe('HTTP 400: quota exhausted');
    expect(describeBody('{"error":{"message":"no key sk-1"}}', 401, 'sk-1')).toBe('HTTP 401: no key ***');
    expect(describeBody('Internal error', 500, 'k')).toBe('HTTP 500: Internal error');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates; ignores garbage', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:27:00 GMT');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
