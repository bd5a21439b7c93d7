// The server's default speed (/mjsettings speed relax) on every paid entry, as the submitted bodies show
// it: the prompt's --relax flag on /imagine and on the bot's own /imagine of a Describe line (every
// server passes it on); accountFilter.modes on /describe, /blend and /shorten where the server takes it
// (the fork's NewTaskDoFilter), nothing where it does not (nzk's DTOs, new-api deletes it); and nothing on
// a click of the server's own buttons, which no server reads a speed from (src/submit/default-speed.ts).
// The member's own speed wins over the default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { DialectName } from '../support/mj/index.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { answerOf, click, customIdsOn, sentState } from './support-clicks.js';
import { bodiesOf, png, resultFrom, runCommand } from './support-new-tasks.js';

/** Where the server takes accountFilter.modes from the bot (capabilities' newTask.speed). */
const TAKES_MODES: Record<Exclude<DialectName, 'plus'>, boolean> = { nzk: false, fork: true, newapi: false };
const RELAX = { accountFilter: { modes: ['RELAX'] } };

describe.each<Exclude<DialectName, 'plus'>>(['nzk', 'fork', 'newapi'])('the default speed on %s', (dialect) => {
  let h: Harness;
  let member: string;
  const filter = () => (TAKES_MODES[dialect] ? RELAX : {});
  const last = (route: string) => bodiesOf(h, route).at(-1);
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: GUARDS_OFF });
    member = h.discord.addMember({ username: 'painter' }).id;
    const set = h.discord.slashCommand({
      name: 'mjsettings speed',
      user: h.discord.defaults.adminUserId,
      options: { mode: 'relax' },
    });
    expect((await answerOf(h, set.id)).text).toMatch(/^✅ Saved: Default speed/);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('/imagine: the prompt flag; a click on the server’s U1: nothing', async () => {
    const answer = await runCommand(h, 'imagine', { prompt: 'a bay at noon' }, member);
    expect(last('imagine')).toEqual({ prompt: 'a bay at noon --relax', state: sentState(h, member) });
    const grid: StoredMessage = await resultFrom(h, answer.text);
    const u1 = customIdsOn(grid).find((id) => id.includes('::upsample::1::'))!;
    await click(h, { channelId: grid.channel_id, messageId: grid.id }, u1, member);
    const route = dialect === 'nzk' ? 'change' : 'action';
    expect(Object.keys(last(route) ?? {}).sort()).toEqual(
      dialect === 'nzk' ? ['action', 'index', 'state', 'taskId'] : ['customId', 'state', 'taskId'],
    );
  });

  it("/describe: accountFilter where the server takes it; its 1️⃣ (the bot's /imagine): the flag", async () => {
    const answer = await runCommand(h, 'describe', { image: png() }, member);
    expect(last('describe')).toEqual({ base64: expect.any(String), ...filter(), state: sentState(h, member) });
    const described = await resultFrom(h, answer.text);
    await click(h, { channelId: described.channel_id, messageId: described.id }, 'MJ::Job::PicReader::1', member);
    expect(last('imagine')).toMatchObject({ prompt: expect.stringMatching(/take 1 --ar 1:1 --relax$/) });
  });

  it('/blend: accountFilter where the server takes it', async () => {
    await runCommand(h, 'blend', { image1: png('a.png'), image2: png('b.png') }, member);
    expect(last('blend')).toEqual({
      base64Array: [expect.any(String), expect.any(String)],
      dimensions: 'SQUARE',
      ...filter(),
      state: sentState(h, member),
    });
  });

  it.runIf(dialect !== 'nzk')('/shorten: accountFilter where the server takes it, the text as written', async () => {
    await runCommand(h, 'shorten', { prompt: 'a very long and winding prompt about a bay' }, member);
    expect(last('shorten')).toEqual({
      prompt: 'a very long and winding prompt about a bay',
      ...filter(),
      state: sentState(h, member),
    });
  });

  it.runIf(TAKES_MODES[dialect])("the member's own speed wins", async () => {
    await runCommand(h, 'describe', { image: png(), speed: 'fast' }, member);
    expect(last('describe')).toMatchObject({ accountFilter: { modes: ['FAST'] } });
  });
});
