// A damaged database stops the bot at start (issue 12, D1): `node src/main.ts` on a file with a
// corrupt page prints what is wrong and what to do, exits non-zero, and never reports "ready" with
// its followed tasks silently dropped.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { killAllBots, spawnBot } from '../support/bot-process.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ startBot: false });
});
afterAll(async () => {
  await killAllBots();
  await h?.close();
});

describe('a damaged database file', () => {
  it('stops the bot at start with a message naming the file, and leaves the file as it was', async () => {
    const path = h.env.DATABASE_PATH!;
    const store = openStore(path);
    for (let i = 0; i < 300; i++)
      await store.tracked.upsert({
        taskId: String(1_700_000_000_000_000 + i),
        guildId: h.discord.defaults.guildId,
        channelId: h.discord.defaults.channelId,
        messageId: null,
        requesterId: h.discord.defaults.userId,
        origin: 'command',
        startedAt: Date.now(),
        lastStatus: 'IN_PROGRESS',
        lastProgress: '40%',
        lastPushAt: null,
        lastRenderHash: null,
        resultMessageId: null,
        phase: 'active',
      });
    await store.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 4096 * 3);
    closeSync(fd);
    const before = readFileSync(path);

    const bot = spawnBot(h.env);
    const { code } = await bot.exited;
    expect(code).toBe(1);
    expect(bot.stderr()).toContain(`The bot cannot start: The database file ${path} is damaged`);
    expect(bot.stderr()).toContain('restore it from a backup');
    expect(bot.stderr()).not.toContain(h.env.DISCORD_TOKEN!);
    expect(bot.logs().some((l) => l.event === 'bot.ready')).toBe(false);
    // It stopped before Discord: not a single REST request (no login, no command registration).
    expect(h.discord.requests).toEqual([]);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
