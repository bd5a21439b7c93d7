// The daily quota and the server's daily budget (/mjsettings quota) held across two bot processes on
// one PostgreSQL database (a real PostgreSQL 18 this file starts) and one Discord stand-in with two
// shards: each instance runs one shard, and each attempt is delivered on one shard or the other (as
// while a shard's session moves between instances), so both instances take a member's clicks and
// commands at the same moment. Of 2N attempts fired at once against N places, exactly N reach the
// Midjourney stand-in, the others are refused with the rule's sentence and its reset time in the
// member's language, and /mjusage (asked through either instance) counts N. A submit the API refuses
// gives its place back, whichever instance takes the next click. A server's first budget, set through
// one instance, binds the other from its next submit although its copy of the settings said "no limit".
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextUtcMidnight } from '../../src/days.js';
import { SETTINGS_CACHE_TTL_MS } from '../../src/store/settings-cache.js';
import { killAllBots, spawnBot, type BotProcess } from '../support/bot-process.js';
import { defaultGuildSpec, serverWithAdmin } from '../support/discord/world.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startSharedDatabase, type SharedDatabase } from '../support/postgres.js';
import { SUBMIT_ROUTE_NAMES } from '../support/mj/routes.js';
import { customIdsOn, showFinishedTaskIn } from './support-clicks.js';
import { expectChinese, ZH } from './support-zh-cn.js';

const BUDGET_ADMIN = '1180000000000000301';
const FRESH_ADMIN = '1180000000000000302';
// A second server on the other shard, for the budget.
const BUDGET_GUILD = serverWithAdmin(1180000000004194404n, 'Budget server', { id: BUDGET_ADMIN, username: 'boss' });
// A server that sets no limit until the last test.
const FRESH_GUILD = serverWithAdmin(1180000000008388708n, 'Fresh server', { id: FRESH_ADMIN, username: 'keeper' });
const SUBMIT_ROUTES = new Set<string>(SUBMIT_ROUTE_NAMES);
const LINK = /https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+/;
const FLAG_LOADING = 128;

let shared: SharedDatabase;
let databaseUrl: string;
let db: SharedDatabase['client'];
let h: Harness;
const instances: BotProcess[] = [];

beforeAll(async () => {
  shared = await startSharedDatabase();
  databaseUrl = shared.url;
  h = await startHarness({
    startBot: false,
    dialect: 'fork',
    discord: { shards: 2, guilds: [defaultGuildSpec(), BUDGET_GUILD, FRESH_GUILD] },
    env: {
      // Commands go global: a guild-scoped registration would exist in one server only.
      DISCORD_GUILD_ID: '',
      DATABASE_URL: databaseUrl,
      // Only the daily limits decide here.
      CLICKS_PER_MINUTE: '0',
      MAX_RUNNING_TASKS_PER_MEMBER: '0',
      // A submit held up by the other instance's must not time out (a timed-out one keeps its place).
      MJ_TIMEOUT_MS: '15000',
      // The tasks need not move: what counts is what was submitted.
      POLL_FAST_MS: '600000',
      POLL_SLOW_MS: '600000',
      LOG_LEVEL: 'info',
    },
  });
  const started = [0, 1].map((shard) =>
    spawnBot({ ...h.env, SHARD_COUNT: '2', SHARD_IDS: String(shard), INSTANCE_ID: `bot-${shard}` }),
  );
  instances.push(...started);
  await Promise.all(started.map((p) => p.ready(30_000)));
  db = shared.client;
  await shared.connect();
}, 60_000);
afterAll(async () => {
  await killAllBots();
  await h?.close();
  await shared?.close();
});

const submits = () => h.mj.requests.filter((r) => r.route !== null && SUBMIT_ROUTES.has(r.route)).length;

/**
 * The member's private answer once final: an immediate reply, or the deferred one once edited (not
 * "thinking…"); a submit's ✅ only once it links the task it started.
 */
function finalAnswer(interactionId: string, submit: boolean): string | null {
  const view = h.discord.interactionResponses(interactionId);
  let text: string | null = null;
  if (view.callbackType === InteractionResponseType.ChannelMessageWithSource)
    text = String(view.callbackData?.content ?? '');
  else if (view.callbackType === InteractionResponseType.DeferredChannelMessageWithSource)
    text = view.original && (view.original.flags & FLAG_LOADING) === 0 ? view.original.content : null;
  return text === null || (submit && text.startsWith('✅') && !LINK.test(text)) ? null : text;
}

/** The final answer to a click or a command (`submit`: one that may start a task). */
const answerOf = (interactionId: string, submit = true) =>
  h.discord.waitFor(() => finalAnswer(interactionId, submit), 20_000, `the answer to ${interactionId}`);

/** Which instance took the interaction (its log line naming it). */
const takenBy = (interactionId: string) =>
  Promise.any(instances.map((p, n) => p.waitForLog((l) => l.interactionId === interactionId, 10_000).then(() => n)));

/** A command through the instance of `shard`, answered. */
async function command(
  shard: number,
  args: {
    name: string;
    guildId: string;
    channelId: string;
    user: string;
    locale?: string;
    options?: Record<string, string | number | boolean>;
  },
) {
  const sent = h.discord.slashCommand({ ...args, viaShard: shard });
  return answerOf(sent.id, false);
}

const quotaSentence = (quota: number) => {
  const midnight = Math.floor(nextUtcMidnight(Date.now()) / 1000);
  return `📅 你已用完在此服务器的每日额度（${quota} 个任务，由管理员设置）。未提交任何内容。额度将于 <t:${midnight}:f>（<t:${midnight}:R>，UTC 零点）重置。`;
};
const budgetSentence = (budget: number) => {
  const midnight = Math.floor(nextUtcMidnight(Date.now()) / 1000);
  return `📅 This server has used its daily budget of ${budget} tasks (set by the admins). Nothing was submitted. It resets at <t:${midnight}:f> (<t:${midnight}:R>, midnight UTC).`;
};

/** A finished task with its buttons, shown by /mjtask in the default server by `user` (so theirs to click). */
async function shownTask(prompt: string, user: string) {
  const guildId = h.discord.defaults.guildId;
  const channelId = h.discord.addChannel({ name: 'grid', guildId });
  const shown = await showFinishedTaskIn(h, { prompt }, { guildId, channelId, user });
  const buttons = customIdsOn(h.discord.message(shown.channelId, shown.messageId));
  return { ...shown, upscales: buttons.filter((id) => id.includes('::upsample::')) };
}

const heldPlaces = async () => Number((await db.query('SELECT COUNT(*) AS n FROM usage_reservations')).rows[0].n);

describe('two instances, one PostgreSQL database: the daily limits hold for the cluster', () => {
  const N = 3;

  it(`a member's quota of ${N}: ${2 * N} clicks at once through both instances submit ${N}, the rest are refused in Chinese`, async () => {
    const guildId = h.discord.defaults.guildId;
    const channelId = h.discord.defaults.channelId;
    const member = h.discord.addMember({ username: 'twofold' }).id;
    const sources = [await shownTask('a paper crane', member), await shownTask('a glass harbour', member)];
    const buttons = sources.flatMap((s) => s.upscales.slice(0, N).map((customId) => ({ ...s, customId })));
    expect(buttons).toHaveLength(2 * N);
    // Set through one instance, as a manager would; the clicks reach both right after.
    const set = await command(1, {
      name: 'mjsettings quota',
      guildId,
      channelId,
      user: h.discord.defaults.adminUserId,
      options: { member_per_day: N },
    });
    expect(set).toMatch(/^✅ /);

    const before = submits();
    const clicks = buttons.map(({ channelId: c, messageId, customId }, n) =>
      h.discord.clickButton({ channelId: c, messageId, customId, user: member, locale: ZH, viaShard: n % 2 }),
    );
    const answers = await Promise.all(clicks.map((c) => answerOf(c.id)));
    expect((await Promise.all(clicks.map((c) => takenBy(c.id)))).sort()).toEqual([0, 0, 0, 1, 1, 1]);

    expect(submits() - before).toBe(N);
    expect(answers.filter((a) => a.startsWith('✅ '))).toHaveLength(N);
    expect(answers.filter((a) => a === quotaSentence(N))).toHaveLength(N);
    expectChinese(quotaSentence(N));
    await h.discord.waitFor(async () => (await heldPlaces()) === 0, 5_000, 'every held place settled');

    // /mjusage, asked through either instance, counts what the cluster started and refused.
    for (const shard of [0, 1]) {
      const usage = await command(shard, { name: 'mjusage', guildId, channelId, user: member, locale: ZH });
      expect(usage).toContain(`今天：每日 ${N} 个任务中已用 **${N}** 个，剩余 **0** 个`);
      expect(usage).toContain(`发起 **${N}** 个`);
      expect(usage).toContain(`被拒绝 **${N}** 次`);
    }
    expect(submits() - before).toBe(N);
  }, 60_000);

  it(`the server's budget of ${N}: ${2 * N} /imagine from two members at once through both instances start ${N}`, async () => {
    const guildId = BUDGET_GUILD.id;
    const channelId = BUDGET_GUILD.channels[0]!.id;
    const members = ['ada', 'bo'].map((username) => h.discord.addMember({ username, guildId }).id);
    const set = await command(0, {
      name: 'mjsettings quota',
      guildId,
      channelId,
      user: BUDGET_ADMIN,
      options: { server_per_day: N },
    });
    expect(set).toMatch(/^✅ /);

    const before = submits();
    const attempts = Array.from({ length: 2 * N }, (_, n) => ({ user: members[n % 2]!, shard: Math.floor(n / 2) % 2 }));
    const sent = attempts.map(({ user, shard }, n) =>
      h.discord.slashCommand({
        name: 'imagine',
        guildId,
        channelId,
        user,
        locale: 'en-US',
        options: { prompt: `a lantern number ${n}` },
        viaShard: shard,
      }),
    );
    const answers = await Promise.all(sent.map((s) => answerOf(s.id)));
    // Each member reached each instance.
    const taken = await Promise.all(sent.map((s) => takenBy(s.id)));
    for (const user of members)
      expect(new Set(taken.filter((_, n) => attempts[n]!.user === user))).toEqual(new Set([0, 1]));

    expect(submits() - before).toBe(N);
    expect(answers.filter((a) => a.startsWith('✅ '))).toHaveLength(N);
    expect(answers.filter((a) => a === budgetSentence(N))).toHaveLength(N);
    await h.discord.waitFor(async () => (await heldPlaces()) === 0, 5_000, 'every held place settled');

    // The admin's /mjusage, through the other instance: the budget used up, N started in the server.
    const usage = await command(1, { name: 'mjusage', guildId, channelId, user: BUDGET_ADMIN, locale: 'en-US' });
    expect(usage).toContain(`Server budget today: **${N}** of ${N} used, 0 left`);
    expect(usage).toMatch(new RegExp(`\\*\\*${N}\\*\\* started`));
    expect(usage).toMatch(new RegExp(`\\*\\*${N}\\*\\* refused`));
  }, 60_000);

  it('a submit the API refuses gives its place back: the next click, on the other instance, is submitted', async () => {
    const member = h.discord.addMember({ username: 'retrier' }).id;
    const source = await shownTask('a copper kettle', member);
    // The quota is still N (first test): N − 1 started leave this member one place.
    for (const [n, customId] of source.upscales.slice(0, N - 1).entries()) {
      const sent = h.discord.clickButton({ ...source, customId, user: member, locale: ZH, viaShard: n % 2 });
      expect(await answerOf(sent.id)).toMatch(/^✅ /);
    }
    const other = await shownTask('a brass compass', member);
    const [refusedBy, nextBy, lastBy] = [0, 1, 0];
    h.mj.nextSubmit('action', { code: 23, description: '队列已满，请稍后尝试' });
    const refused = h.discord.clickButton({
      ...other,
      customId: other.upscales[0]!,
      user: member,
      locale: ZH,
      viaShard: refusedBy,
    });
    expect(await answerOf(refused.id)).not.toMatch(/^✅ |^📅 /);
    await h.discord.waitFor(async () => (await heldPlaces()) === 0, 5_000, 'the refused submit’s place given back');
    const next = h.discord.clickButton({
      ...other,
      customId: other.upscales[1]!,
      user: member,
      locale: ZH,
      viaShard: nextBy,
    });
    expect(await answerOf(next.id)).toMatch(/^✅ /);
    const last = h.discord.clickButton({
      ...other,
      customId: other.upscales[2]!,
      user: member,
      locale: ZH,
      viaShard: lastBy,
    });
    expect(await answerOf(last.id)).toBe(quotaSentence(N));
  }, 60_000);

  it("a server's first budget, set through one instance, binds the other from its next submit: its copy of the settings is told", async () => {
    const guildId = FRESH_GUILD.id;
    const channelId = FRESH_GUILD.channels[0]!.id;
    const member = h.discord.addMember({ username: 'early', guildId }).id;
    const imagine = (prompt: string) =>
      h.discord.slashCommand({ name: 'imagine', guildId, channelId, user: member, options: { prompt }, viaShard: 1 });
    // Instance 1 reads this server's settings (none) for a submit and keeps that copy.
    const copied = Date.now();
    expect(await answerOf(imagine('a first kite').id)).toMatch(/^✅ /);
    const set = await command(0, {
      name: 'mjsettings quota',
      guildId,
      channelId,
      user: FRESH_ADMIN,
      options: { server_per_day: 1 },
    });
    expect(set).toMatch(/^✅ /);
    const before = submits();
    expect(await answerOf(imagine('a second kite').id)).toMatch(
      /^📅 This server has used its daily budget of 1 task \(set by the admins\)\. Nothing was submitted\./,
    );
    expect(submits()).toBe(before);
    // Refused within the copy's lifetime: the change reached instance 1, not the copy's expiry.
    expect(Date.now() - copied).toBeLessThan(SETTINGS_CACHE_TTL_MS);
  }, 60_000);
});
