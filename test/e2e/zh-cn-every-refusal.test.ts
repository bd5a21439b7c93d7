// Every refusal a member can meet (src/replies/reasons.ts: the guards, the server's rules, messages
// and forms that no longer carry what the bot needs, the admin commands' checks), met end to end by a
// member whose Discord is in Simplified Chinese: the private answer is that refusal's zh-CN sentence,
// in Chinese with no English left, and nothing is submitted (support-zh-cn-every.ts runs the table).
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { imagineDefinition } from '../../src/discord/commands/definitions.js';
import type { Refusal } from '../../src/replies/reasons.js';
import { defaultGuildSpec } from '../support/discord/world.js';
import type { Harness } from '../support/harness.js';
import { startTrackingHarness } from '../support/tracking-e2e.js';
import { answerOf, buttonIdWith, closedChannel, showFinishedTask, submitState } from './support-clicks.js';
import { command, fixedPartOf, ownGrid, runCases, type Case, type Elsewhere } from './support-zh-cn-every.js';
import { ZH, expectChinese, zhClick } from './support-zh-cn.js';

const OTHER = {
  id: '1180000000000009000',
  name: 'Another server',
  ownerId: '1180000000000009100',
  channels: [{ id: '1180000000000009001', name: 'general' }],
  members: [{ user: { id: '1180000000000009100', username: 'visitor', global_name: null }, roles: [] }],
};

let a: Harness;
let b: Harness;
beforeAll(async () => {
  [a, b] = await Promise.all([
    startTrackingHarness({
      mj: { bannedWords: ['forbidden'] },
      env: { CLICK_POLICY: 'requester', BANNED_PROMPT_LIMIT: '1' },
    }),
    // This one keeps clicks to roles (CLICK_POLICY) and to one server (ALLOWED_GUILD_IDS).
    startTrackingHarness({
      discord: { guilds: [defaultGuildSpec(), OTHER] },
      // DISCORD_GUILD_ID empty: commands are global, so the other server has them too.
      env: { CLICK_POLICY: 'roles', DISCORD_GUILD_ID: '', ALLOWED_GUILD_IDS: defaultGuildSpec().id },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

/**
 * Global commands an older version left behind (the first bot registers its own per server): one this
 * version no longer has, and /imagine offered in direct messages too.
 */
const OLD_GLOBAL_COMMANDS = [
  { name: 'mjold', description: 'An old command', type: 1 },
  { ...imagineDefinition, contexts: [0, 1] },
];

const admin = (h: Harness) => h.discord.defaults.adminUserId;

const REFUSALS: { [R in Refusal['reason']]: Case | Elsewhere } = {
  not_requester: {
    key: 'refusal.not_requester',
    drive: async (h, member) => {
      const starter = h.discord.addMember({ username: 'starter' }).id;
      const state = submitState(h, starter);
      const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a paper boat', state }, starter);
      return zhClick(h, shown, buttonIdWith(h, shown, 'low_variation'), { user: member });
    },
  },
  not_shower: { elsewhere: ['zh-cn-refusals.test.ts', "another member's task: refused"] },
  paused: {
    key: 'refusal.paused',
    setupSubmits: 1,
    drive: async (h, member) => {
      // BANNED_PROMPT_LIMIT 1: one banned prompt (the API's refusal, in Chinese too) pauses the member.
      const banned = await command(h, 'imagine', { prompt: 'a forbidden cat' }, member);
      expectChinese(banned.text, ['forbidden']);
      expect(banned.text).toContain(fixedPartOf('submit.banned_word').slice(0, 12));
      return command(h, 'imagine', { prompt: 'a harmless cat' }, member);
    },
  },
  requester_unknown: {
    key: 'refusal.requester_unknown',
    drive: async (h, member) => {
      // A task message that says neither who started the task nor who showed it (a message an older
      // version posted): the stored message loses its interaction metadata.
      const shown = await showFinishedTask(h, { prompt: 'a lost kite' });
      const stored = h.discord.message(shown.channelId, shown.messageId) as unknown as Record<string, unknown>;
      delete stored['interaction_metadata'];
      return zhClick(h, shown, buttonIdWith(h, shown, '::upsample::1::'), { user: member });
    },
  },
  role_required: {
    key: 'refusal.role_required',
    on: 'b',
    drive: async (h, member) => {
      const shown = await showFinishedTask(h, { prompt: 'a locked gate' });
      return zhClick(h, shown, buttonIdWith(h, shown, '::upsample::1::'), { user: member });
    },
  },
  rate_limited: { elsewhere: ['zh-cn-refusals.test.ts', 'then the per-minute limit'] },
  running_cap: { elsewhere: ['zh-cn-refusals.test.ts', 'a task still running: the running cap'] },
  channel_not_allowed: { elsewhere: ['zh-cn-refusals.test.ts', 'a channel not allowed: named, in Chinese'] },
  start_role_required: { elsewhere: ['zh-cn-refusals.test.ts', 'a role without the right to start'] },
  click_role_required: { elsewhere: ['zh-cn-refusals.test.ts', 'and to click: named, in Chinese'] },
  member_quota: { elsewhere: ['zh-cn-refusals.test.ts', 'the daily quota: refused until midnight'] },
  server_budget: {
    key: 'refusal.server_budget',
    setupSubmits: 1,
    drive: async (h, member) => {
      await command(h, 'mjsettings quota', { server_per_day: 1 }, admin(h));
      try {
        expect((await command(h, 'imagine', { prompt: 'the one of today' }, member)).text).toMatch(/^✅ /);
        return await command(h, 'imagine', { prompt: 'one too many' }, member);
      } finally {
        await command(h, 'mjsettings quota', { server_per_day: 0 }, admin(h));
      }
    },
  },
  repeat_click: {
    key: 'refusal.repeat_click',
    setupSubmits: 1,
    drive: async (h, member) => {
      const grid = await ownGrid(h, member);
      const v1 = buttonIdWith(h, grid, '::variation::1::');
      expect((await zhClick(h, grid, v1, { user: member })).text).toMatch(/^✅ V1 /);
      return zhClick(h, grid, v1, { user: member });
    },
  },
  no_task_id: {
    key: 'refusal.no_task_id',
    drive: async (h, member) => {
      // A message whose task id line is gone (edited by hand, or an older version's message).
      const grid = await ownGrid(h, member);
      const u1 = buttonIdWith(h, grid, '::upsample::1::');
      const stored = h.discord.message(grid.channelId, grid.messageId)!;
      stored.content = stored.content.split('\n')[0] ?? '';
      return zhClick(h, grid, u1, { user: member });
    },
  },
  button_not_on_task: {
    key: 'refusal.button_not_on_task',
    drive: async (h, member) => {
      const grid = await ownGrid(h, member);
      return zhClick(h, grid, 'MJ::JOB::upsample::9::not-on-this-task', { user: member, crafted: true });
    },
  },
  vary_region: {
    key: 'refusal.vary_region',
    allowed: ['Vary (Region)'],
    drive: async (h, member) => {
      const upscale = await ownGrid(h, member, 'UPSCALE');
      return zhClick(h, upscale, buttonIdWith(h, upscale, 'MJ::Inpaint::'), { user: member });
    },
  },
  bookmark: {
    key: 'refusal.bookmark',
    drive: async (h, member) => {
      const upscale = await ownGrid(h, member, 'UPSCALE');
      return zhClick(h, upscale, buttonIdWith(h, upscale, 'MJ::BOOKMARK::'), { user: member });
    },
  },
  custom_zoom_prompt: { elsewhere: ['zh-cn-replies.test.ts', 'Custom Zoom: the form, a prompt refused'] },
  empty_prompt: {
    key: 'refusal.empty_prompt',
    drive: (h, member) => command(h, 'imagine', { prompt: '   ' }, member),
  },
  form_expired: {
    key: 'refusal.form_expired',
    drive: (h, member) =>
      answerOf(
        h,
        h.discord.submitModal({
          customId: 'mjmodal:gone',
          fields: { prompt: 'x' },
          crafted: true,
          user: member,
          locale: ZH,
        }).id,
      ),
  },
  unknown_command: {
    key: 'refusal.unknown_command',
    drive: (h, member) => {
      // A command an older version registered and this one no longer has.
      h.discord.registerCommands(OLD_GLOBAL_COMMANDS);
      return command(h, 'mjold', {}, member);
    },
  },
  unknown_button: {
    key: 'refusal.unknown_button',
    drive: async (h, member) => {
      const grid = await ownGrid(h, member);
      return zhClick(h, grid, 'mjx:what', { user: member, crafted: true });
    },
  },
  unknown_form: {
    key: 'refusal.unknown_form',
    drive: (h, member) =>
      answerOf(
        h,
        h.discord.submitModal({
          customId: 'mjx:what',
          fields: { prompt: 'x' },
          crafted: true,
          user: member,
          locale: ZH,
        }).id,
      ),
  },
  store_unavailable: { elsewhere: ['store-full.test.ts', 'a zh-CN member reads'] },
  store_unavailable_after_submit: { elsewhere: ['store-full.test.ts', 'a zh-CN member reads'] },
  server_only: {
    unreachable:
      'the router answers every interaction outside a server with dm_not_supported before a command runs (src/discord/router.ts)',
  },
  guild_not_allowed: {
    key: 'refusal.guild_not_allowed',
    on: 'b',
    drive: (h) =>
      command(h, 'imagine', { prompt: 'a visitor' }, OTHER.ownerId, {
        guildId: OTHER.id,
        channelId: OTHER.channels[0]!.id,
      }),
  },
  dm_not_supported: {
    key: 'refusal.dm_not_supported',
    drive: (h, member) => {
      h.discord.registerCommands(OLD_GLOBAL_COMMANDS);
      return command(h, 'imagine', { prompt: 'a cat in a DM' }, member, { dm: true });
    },
  },
  manage_server_only: {
    key: 'refusal.manage_server_only',
    drive: (h, member) => command(h, 'mjsettings show', {}, member),
  },
  channel_missing_permissions: {
    key: 'refusal.channel_missing_permissions',
    drive: async (h) => {
      const closed = await closedChannel(h);
      return command(h, 'mjsettings updates', { channel: closed }, admin(h));
    },
  },
  settings_target_missing: {
    key: 'refusal.settings_channel_missing',
    allowed: ['channel'],
    drive: async (h) => {
      const role = await command(h, 'mjsettings roles', { right: 'start', action: 'add' }, admin(h));
      expect(role.text).toContain(fixedPartOf('refusal.settings_role_missing'));
      expectChinese(role.text, ['role']);
      return command(h, 'mjsettings channels', { action: 'add' }, admin(h));
    },
  },
  settings_list_full: {
    key: 'refusal.settings_list_full',
    drive: async (h) => {
      try {
        for (let i = 0; i < 25; i++) {
          const channel = h.discord.addChannel({ name: `room-${i}` });
          expect((await command(h, 'mjsettings channels', { action: 'add', channel }, admin(h))).text).toMatch(/^✅/);
        }
        return await command(
          h,
          'mjsettings channels',
          { action: 'add', channel: h.discord.addChannel({ name: 'one-more' }) },
          admin(h),
        );
      } finally {
        await command(h, 'mjsettings channels', { action: 'everywhere' }, admin(h));
      }
    },
  },
  settings_quota_missing: {
    key: 'refusal.settings_quota_missing',
    allowed: ['member_per_day', 'server_per_day'],
    drive: (h) => command(h, 'mjsettings quota', {}, admin(h)),
  },
  settings_reset_unconfirmed: {
    key: 'refusal.settings_reset_unconfirmed',
    allowed: ['/mjsettings reset confirm:True'],
    drive: (h) => command(h, 'mjsettings reset', { confirm: false }, admin(h)),
  },
  usage_others_manage_only: {
    key: 'refusal.usage_others_manage_only',
    allowed: ['/mjusage'],
    drive: (h, member) => command(h, 'mjusage', { member: h.discord.defaults.userId }, member),
  },
  new_task_input: { elsewhere: ['zh-cn-every-error.test.ts', 'what a zh-CN member gave cannot be used'] },
};

describe('a zh-CN member refused by every rule', () => {
  runCases({ a: () => a, b: () => b }, REFUSALS, false);
});
