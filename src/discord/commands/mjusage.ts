// /mjusage [period] [member] — who spent what, from the usage log's daily counters (store/usage.ts):
// for a server manager the whole server (tasks per member and per day, by action, refusals and why),
// for a member their own usage and what is left of their daily quota. Private; cheap at any history
// (one range of the counters' primary key per question).
import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { firstDayOfWindow, nextUtcMidnight, utcDayOf } from '../../days.js';
import { memberUsageSentence, serverUsageSentence, type UsageToday } from '../../replies/usage.js';
import { UserFacingError } from '../../replies/user-facing-error.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { memberT, replyPrivately } from '../../submit/reply.js';
import { summarizeUsage } from '../../usage-summary.js';

const PERIODS = [1, 7, 30] as const;

export async function runMjusage(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) throw new UserFacingError({ reason: 'server_only' });
  const manager = interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true;
  const asked = interaction.options.getUser('member');
  const self = asked === null || asked.id === interaction.user.id;
  if (!self && !manager) throw new UserFacingError({ reason: 'usage_others_manage_only' });
  const period = Number(interaction.options.getString('period') ?? '7');
  const days = PERIODS.find((p) => p === period) ?? 7;
  const now = deps.clock.now();
  const window = { days, fromDay: firstDayOfWindow(now, days), toDay: utcDayOf(now) };
  const rules = await deps.settings.effective(guildId);
  const memberId = asked?.id ?? interaction.user.id;
  const today: UsageToday = {
    serverStarted: await deps.usage.startedOn(guildId, window.toDay),
    memberStarted: await deps.usage.startedOn(guildId, window.toDay, memberId),
    memberDailyQuota: rules.memberDailyQuota,
    serverDailyBudget: rules.serverDailyBudget,
    // Only the asker's own permissions are known here; another member's come with their next submit.
    memberExempt: self && manager,
    resetsAt: nextUtcMidnight(now),
  };
  if (manager && asked === null) {
    const summary = summarizeUsage(await deps.usage.counts(guildId, window.fromDay, window.toDay));
    return replyPrivately(interaction, serverUsageSentence(memberT(interaction), summary, window, today), deps.redact);
  }
  const summary = summarizeUsage(await deps.usage.counts(guildId, window.fromDay, window.toDay, memberId));
  const who = self ? ({ self: true } as const) : ({ self: false, userId: memberId } as const);
  return replyPrivately(
    interaction,
    memberUsageSentence(memberT(interaction), summary, window, today, who),
    deps.redact,
  );
}
