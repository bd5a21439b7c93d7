// The capabilities as data: which buttons each server shows, nzk's grid built from the task, the
// Describe/Shorten prompts the bot imagines itself, and new-api's fetch checked against its list rows.
import { describe, expect, it } from 'vitest';
import type { MjApi } from '../../src/mj/api.js';
import { CAPABILITIES, changeActionOf, shownButtons } from '../../src/mj/capabilities.js';
import { parseMjCustomId } from '../../src/mj/custom-id.js';
import { chooseDialect, withDialectReads } from '../../src/mj/dialect-api.js';
import { MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import { renderTask } from '../../src/render/task-message.js';
import { numberedPrompts, promptsFor } from '../../src/mj/text-results.js';

const task = (fields: Record<string, unknown>): MjTask => MjTaskSchema.parse({ id: '1730000000000001', ...fields });
const b = (customId: string) => ({ customId, label: '', emoji: '', type: 2, style: 2 });
const ids = (t: MjTask, d: keyof typeof CAPABILITIES) => shownButtons(t, CAPABILITIES[d]).map((x) => x.customId);

describe('shownButtons', () => {
  const upscale = task({
    action: 'UPSCALE',
    status: 'SUCCESS',
    buttons: [
      b('MJ::JOB::upsample_v6_2x_subtle::1::u::SOLO'),
      b('MJ::CustomZoom::u'),
      b('MJ::JOB::animate_high::1::u::SOLO'),
      b('MJ::BOOKMARK::u'),
    ],
  });

  it("nzk: a finished Describe gets the bot's 1️⃣–4️⃣, 🔄 and 🎉, run as /imagine of their prompt and /describe of its image", () => {
    const described = task({ action: 'DESCRIBE', status: 'SUCCESS', buttons: [] });
    expect(ids(described, 'nzk')).toEqual([
      'MJ::Job::PicReader::1',
      'MJ::Job::PicReader::2',
      'MJ::Job::PicReader::3',
      'MJ::Job::PicReader::4',
      'MJ::Picread::Retry',
      'MJ::Job::PicReader::all',
    ]);
    expect(ids(task({ action: 'DESCRIBE', status: 'IN_PROGRESS', buttons: [] }), 'nzk')).toEqual([]);
    expect(CAPABILITIES.nzk.routes.pic_reader).toBe('imagine');
    expect(CAPABILITIES.nzk.routes.picread_retry).toBe('describe');
    expect(CAPABILITIES.newapi.routes.picread_retry).toBe('describe');
    expect(ids(described, 'fork')).toEqual([]);
  });

  it('unknown server: every button as sent', () => {
    expect(ids(upscale, 'unknown')).toHaveLength(4);
  });

  it('new-api: only what it bills; the fork: all but ❤️', () => {
    expect(ids(upscale, 'newapi')).toEqual(['MJ::JOB::upsample_v6_2x_subtle::1::u::SOLO', 'MJ::CustomZoom::u']);
    expect(ids(upscale, 'fork')).toEqual([
      'MJ::JOB::upsample_v6_2x_subtle::1::u::SOLO',
      'MJ::CustomZoom::u',
      'MJ::JOB::animate_high::1::u::SOLO',
    ]);
  });

  it('nzk: U1–U4, 🔄, V1–V4 built for a finished grid, none for an upscale or a running grid', () => {
    const grid = task({ action: 'IMAGINE', status: 'SUCCESS' });
    expect(ids(grid, 'nzk')).toEqual([
      'MJ::JOB::upsample::1::1730000000000001',
      'MJ::JOB::upsample::2::1730000000000001',
      'MJ::JOB::upsample::3::1730000000000001',
      'MJ::JOB::upsample::4::1730000000000001',
      'MJ::JOB::reroll::0::1730000000000001::SOLO',
      'MJ::JOB::variation::1::1730000000000001',
      'MJ::JOB::variation::2::1730000000000001',
      'MJ::JOB::variation::3::1730000000000001',
      'MJ::JOB::variation::4::1730000000000001',
    ]);
    expect(ids(task({ action: 'UPSCALE', status: 'SUCCESS' }), 'nzk')).toEqual([]);
    expect(ids(task({ action: 'IMAGINE', status: 'IN_PROGRESS' }), 'nzk')).toEqual([]);
    expect(changeActionOf(parseMjCustomId('MJ::JOB::variation::3::x'))).toEqual({ action: 'VARIATION', index: 3 });
    expect(changeActionOf(parseMjCustomId('MJ::JOB::reroll::0::x::SOLO'))).toEqual({ action: 'REROLL', index: 0 });
  });

  it('the renderer takes the capabilities as data', () => {
    const rendered = renderTask(task({ action: 'IMAGINE', status: 'SUCCESS' }), { capabilities: CAPABILITIES.nzk });
    expect(JSON.stringify(rendered.components)).toContain('MJ::JOB::upsample::1::1730000000000001');
    expect(JSON.stringify(renderTask(task({ action: 'IMAGINE', status: 'SUCCESS' })).components)).not.toContain(
      'upsample',
    );
  });
});

describe('client-side prompts', () => {
  const described = task({
    action: 'DESCRIBE',
    properties: { finalPrompt: '1️⃣ a red fox --ar 3:2\n\n2️⃣ a fox in snow\n\n3️⃣ three\n\n4️⃣ four' },
  });

  it("reads Describe's numbered lines without their keycaps", () => {
    expect([...numberedPrompts(described).entries()]).toEqual([
      [1, 'a red fox --ar 3:2'],
      [2, 'a fox in snow'],
      [3, 'three'],
      [4, 'four'],
    ]);
    expect(promptsFor(parseMjCustomId('MJ::Job::PicReader::2'), described)).toEqual(['a fox in snow']);
    expect(promptsFor(parseMjCustomId('MJ::Job::PicReader::all'), described)).toHaveLength(4);
  });

  it("reads Shorten's prompts from the description when finalPrompt has none", () => {
    const shortened = task({
      action: 'SHORTEN',
      description: '## Important tokens\nfox\n## Shortened prompts\n1️⃣ fox, snow\n\n2️⃣ fox',
    });
    expect(promptsFor(parseMjCustomId('MJ::Job::PromptAnalyzer::2'), shortened)).toEqual(['fox']);
    expect(promptsFor(parseMjCustomId('MJ::Job::PromptAnalyzer::5'), shortened)).toEqual([]);
  });
});

describe('dialect choice and reads', () => {
  it('a named dialect needs no probe; auto without a client is undecided', async () => {
    expect(await chooseDialect('plus', undefined)).toMatchObject({
      source: 'setting',
      capabilities: { dialect: 'plus' },
    });
    expect(await chooseDialect('auto', undefined)).toMatchObject({
      source: 'undecided',
      capabilities: { dialect: 'unknown' },
    });
  });

  it("behind new-api a fetch is checked against the list's rows, and the most advanced wins", async () => {
    const older = task({ status: 'MODAL' });
    const newer = task({ status: 'SUCCESS' });
    const calls: string[] = [];
    const api = {
      fetchTask: (id: string) => (calls.push(`fetch ${id}`), Promise.resolve(older)),
      fetchTasks: (list: string[]) => (calls.push(`list ${list.join()}`), Promise.resolve([older, newer])),
    } as unknown as MjApi;
    expect((await withDialectReads(api, () => CAPABILITIES.newapi).fetchTask(older.id)).status).toBe('SUCCESS');
    expect(calls).toEqual([`fetch ${older.id}`, `list ${older.id}`]);
    calls.length = 0;
    expect((await withDialectReads(api, () => CAPABILITIES.fork).fetchTask(older.id)).status).toBe('MODAL');
    expect(calls).toEqual([`fetch ${older.id}`]);
  });
});
