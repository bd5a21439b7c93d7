// The database's disk fills up while the bot runs (D2): a member is told the bot cannot save, and
// whether anything was paid for — never "I cannot post in this channel". Before the submit nothing is
// sent to the API; after it, the answer names the task so nothing paid for is lost. The disk is a real
// tmpfs (this runs as root, like CI); where mounting is not allowed the file is skipped.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchNotSavedSentence } from '../../src/replies/commands.js';
import { refusalSentence } from '../../src/replies/refusals.js';
import { startHarness, type Harness } from '../support/harness.js';
import { canMountTmpfs, mountTmpfs, unmount } from '../support/tmpfs.js';
import { ENGLISH, translatorFor } from '../../src/i18n/index.js';
import { ZH, expectChinese } from './support-zh-cn.js';

const MOUNTABLE = canMountTmpfs;

describe.skipIf(!MOUNTABLE)('a database whose disk is full', () => {
  let h: Harness;
  let disk: string;
  let filler: string;

  /** Fills the disk to the last byte with one file. */
  function fillDisk(): void {
    const chunk = Buffer.alloc(64 * 1024, 1);
    let written = 0;
    for (;;) {
      try {
        writeFileSync(filler, chunk, { flag: 'a' });
        written += chunk.length;
      } catch {
        break;
      }
    }
    // The last partial chunk: whatever still fits, byte by byte in shrinking steps.
    for (let size = chunk.length / 2; size >= 1; size = Math.floor(size / 2)) {
      try {
        writeFileSync(filler, chunk.subarray(0, size), { flag: 'a' });
      } catch {
        /* full at this size; try a smaller one */
      }
    }
    expect(written).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    disk = mkdtempSync(join(tmpdir(), 'mjtask-full-disk-'));
    if (!mountTmpfs(disk, '4m')) throw new Error(`could not mount a tmpfs at ${disk}`);
    mkdirSync(join(disk, 'db'));
    filler = join(disk, 'filler.bin');
    h = await startHarness({
      env: { DATABASE_PATH: join(disk, 'db', 'bot.sqlite'), CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' },
    });
  });
  afterAll(async () => {
    await h?.close();
    if (disk) {
      unmount(disk);
      rmSync(disk, { recursive: true, force: true });
    }
  });

  async function answerTo(prompt: string, locale?: string): Promise<string> {
    const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt }, ...(locale ? { locale } : {}) });
    return h.discord.waitFor(
      () => h.discord.interactionResponses(interaction.id).original?.content || null,
      5_000,
      `the answer to /imagine ${prompt}`,
    );
  }

  it('before the submit: says the bot cannot save, and sends nothing to the API', async () => {
    fillDisk();
    const answer = await answerTo('a full disk');
    expect(answer).toBe(refusalSentence(ENGLISH, { reason: 'store_unavailable' }));
    expect(h.mj.countRequests('imagine')).toBe(0);
    expect(h.logLines().some((l) => l.includes('"event":"store.write_failed"'))).toBe(true);
    rmSync(filler);
  });

  it('after the submit: names the task that was paid for', async () => {
    // The disk fills while the API is answering: the click is recorded, the task cannot be.
    h.mj.fault('imagine', { kind: 'slow', delayMs: 400 }, 1);
    const pending = answerTo('fills up mid-way');
    await h.discord.waitFor(() => h.mj.countRequests('imagine') === 1, 5_000, 'the submit reaching the API');
    fillDisk();
    const answer = await pending;
    const taskId = /task `(\d+)`/.exec(answer)?.[1];
    expect(taskId).toBeDefined();
    expect(answer).toBe(
      refusalSentence(ENGLISH, { reason: 'store_unavailable_after_submit', label: '/imagine', taskId: taskId! }),
    );
    expect(answer).not.toMatch(/cannot post/);
    rmSync(filler);
  });

  it('/mjtask still shows a running task, and says privately that it will not update', async () => {
    const taskId = h.mj.createTask({
      prompt: 'running while the disk is full',
      status: 'IN_PROGRESS',
      progress: '40%',
    });
    fillDisk();
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId } });
    const note = await h.discord.waitFor(
      () => h.discord.interactionResponses(interaction.id).followUps[0]?.content || null,
      5_000,
      'the private note about the watch',
    );
    expect(note).toBe(watchNotSavedSentence(ENGLISH));
    expect(h.discord.interactionResponses(interaction.id).original?.content).toMatch(/running while the disk is full/);
    rmSync(filler);
  });

  it('a zh-CN member reads each of these in Chinese', async () => {
    const zh = translatorFor(ZH);
    fillDisk();
    const before = await answerTo('满盘', ZH);
    expect(before).toBe(refusalSentence(zh, { reason: 'store_unavailable' }));
    expectChinese(before);
    rmSync(filler);

    h.mj.fault('imagine', { kind: 'slow', delayMs: 400 }, 1);
    const since = h.mj.countRequests('imagine');
    const pending = answerTo('半途满盘', ZH);
    await h.discord.waitFor(() => h.mj.countRequests('imagine') === since + 1, 5_000, 'the submit reaching the API');
    fillDisk();
    const after = await pending;
    const taskId = /`(\d+)`/.exec(after)?.[1] ?? '';
    expect(after).toBe(
      refusalSentence(zh, { reason: 'store_unavailable_after_submit', label: zh('command.name_imagine'), taskId }),
    );
    expectChinese(after, [taskId]);
    rmSync(filler);

    const running = h.mj.createTask({ prompt: 'running', status: 'IN_PROGRESS', progress: '40%' });
    fillDisk();
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: running }, locale: ZH });
    const note = await h.discord.waitFor(
      () => h.discord.interactionResponses(interaction.id).followUps[0]?.content || null,
      5_000,
      'the private note about the watch',
    );
    expect(note).toBe(watchNotSavedSentence(zh));
    expectChinese(note);
    rmSync(filler);
  });

  it('once there is room again, submits as usual', async () => {
    const answer = await answerTo('room again');
    expect(answer).toMatch(/^✅ \/imagine submitted/);
  });
});
