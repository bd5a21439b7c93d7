// MJ_API_DIALECT=auto: the bot's own HTTP client asks each server profile of the Midjourney stand-in
// the read-only probes at start, and the bot logs what it found and why.
import { afterEach, describe, expect, it } from 'vitest';
import { createMjClient } from '../../src/mj/client.js';
import { chooseDialect } from '../../src/mj/dialect-api.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createMjStandIn, DIALECT_NAMES, type MjStandIn } from '../support/mj/index.js';

const opened: Array<MjStandIn | Harness> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

describe.each(DIALECT_NAMES)('detection through the real client: %s', (dialect) => {
  it('names the server from read-only GETs, whatever header style the key is sent with', async () => {
    const mj = await createMjStandIn({ dialect });
    opened.push(mj);
    for (const authHeader of ['mj-api-secret', 'bearer'] as const) {
      const client = createMjClient({ baseUrl: mj.baseUrl, apiKey: mj.apiKey, authHeader, timeoutMs: 2000 });
      try {
        const choice = await chooseDialect('auto', client.probe);
        // The Java servers read only mj-api-secret; with a Bearer key they answer as to a stranger and
        // still give themselves away as Java, but not which one (original or plus) for certain.
        if (authHeader === 'bearer' && (dialect === 'nzk' || dialect === 'plus')) {
          expect(choice.evidence.length).toBeGreaterThanOrEqual(2);
          continue;
        }
        expect(choice).toMatchObject({ source: 'detected', capabilities: { dialect } });
        expect(choice.evidence.length).toBeGreaterThanOrEqual(2);
      } finally {
        await client.close();
      }
    }
    expect(mj.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('the bot logs the dialect and the evidence at start (auto is the default)', async () => {
    const h = await startHarness({ dialect });
    opened.push(h);
    const line = h.logLines().find((l) => l.includes('"event":"mj.dialect"'));
    expect(line, 'an mj.dialect log line').toBeDefined();
    const logged = JSON.parse(line!) as { dialect: string; source: string; evidence: string[] };
    expect(logged).toMatchObject({ dialect, source: 'detected' });
    expect(logged.evidence.join('\n')).toContain('GET /mj/task/0000000000000000/fetch');
  });
});

describe('a named dialect', () => {
  it('MJ_API_DIALECT skips the probes', async () => {
    const h = await startHarness({ dialect: 'fork', env: { MJ_API_DIALECT: 'fork' } });
    opened.push(h);
    expect(h.mj.requests.filter((r) => r.path.includes('0000000000000000'))).toEqual([]);
    const line = h.logLines().find((l) => l.includes('"event":"mj.dialect"'));
    expect(JSON.parse(line!)).toMatchObject({ dialect: 'fork', source: 'setting' });
  });
});
