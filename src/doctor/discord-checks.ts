// Checks 2–4: the token, the server and the slash commands, and the updates channel's permissions,
// read through discord.js's REST client exactly as the bot would reach Discord.
import { REST, Routes } from 'discord.js';
import type { APIApplication, APIApplicationCommand, APIChannel, APIGuild, APIGuildMember, APIUser } from 'discord.js';
import type { Config } from '../config/load.js';
import { commandDefinitions } from '../discord/commands/definitions.js';
import { apiCode, classifyDiscordError, describeDiscordFailure, type DiscordFailure } from './discord-errors.js';
import { channelPermissions, inviteUrl, missingPermissionNames, type OverwriteWire } from './permissions.js';
import { fail, ok, skip, warn, type CheckResult } from './types.js';

export const DISCORD_CHECK_NAMES = {
  token: 'Discord token',
  server: 'Discord server',
  commands: 'Slash commands',
  channel: 'Updates channel',
} as const;
const N = DISCORD_CHECK_NAMES;

// Discord's JSON error codes the checks branch on.
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_GUILD = 10004;
const UNKNOWN_MEMBER = 10007;
const MISSING_ACCESS = 50001;

/** Channel types a bot message can be posted in directly (text, voice chat, announcement, stage chat). */
const POSTABLE_TYPES = new Set([0, 2, 5, 13]);
const THREAD_TYPES = new Set([10, 11, 12]);

export interface DiscordCheckOptions {
  /** Per-request deadline. */
  timeoutMs: number;
}

interface Session {
  rest: REST;
  host: string;
  config: Config;
}

type Attempt<T> = { value: T } | { failure: DiscordFailure };

async function attempt<T>(run: () => Promise<unknown>): Promise<Attempt<T>> {
  try {
    return { value: (await run()) as T };
  } catch (err) {
    return { failure: classifyDiscordError(err) };
  }
}

function failed(name: string, s: Session, failure: DiscordFailure): CheckResult {
  const { detail, fix } = describeDiscordFailure(failure, s.host);
  return fail(name, detail, fix);
}

export async function discordChecks(config: Config, options: DiscordCheckOptions): Promise<CheckResult[]> {
  const rest = new REST({
    api: config.discord.apiUrl,
    timeout: options.timeoutMs,
    retries: 1,
    // A doctor waits for no bucket: a long rate limit is reported, not sat out.
    rejectOnRateLimit: (limit) => limit.timeToReset > 5_000,
  }).setToken(config.discord.token);
  const session: Session = { rest, host: hostOf(config.discord.apiUrl), config };
  try {
    return await runChecks(session);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

async function runChecks(s: Session): Promise<CheckResult[]> {
  const guildId = s.config.discord.guildId;
  const me = await attempt<APIUser>(() => s.rest.get(Routes.user('@me')));
  if ('failure' in me) {
    const why = 'needs a working Discord token';
    return [failed(N.token, s, me.failure), skip(N.server, why), skip(N.commands, why), skip(N.channel, why)];
  }
  const bot = me.value;
  const results: CheckResult[] = [ok(N.token, `accepted: logged in as ${bot.username} (${bot.id})`)];

  const app = await attempt<APIApplication>(() => s.rest.get(Routes.currentApplication()));
  // The bot user's id is the application's id for every application made since 2019.
  const applicationId = 'value' in app ? app.value.id : bot.id;
  const invite = inviteUrl(applicationId, guildId);

  let guild: APIGuild | null = null;
  if (!guildId) {
    results.push(skip(N.server, `DISCORD_GUILD_ID is not set, so commands are global; invite link: ${invite}`));
  } else {
    const found = await attempt<APIGuild>(() => s.rest.get(Routes.guild(guildId)));
    if ('value' in found) {
      guild = found.value;
      results.push(ok(N.server, `the bot is in "${guild.name}" (${guildId})`));
    } else {
      const code = apiCode(found.failure);
      const notThere =
        code === UNKNOWN_GUILD ||
        code === MISSING_ACCESS ||
        (found.failure.kind === 'api' && [403, 404].includes(found.failure.status));
      results.push(
        notThere
          ? fail(
              N.server,
              `the bot is not in server ${guildId} (or DISCORD_GUILD_ID is wrong)`,
              `invite the bot with the link ${invite} — or correct DISCORD_GUILD_ID`,
            )
          : failed(N.server, s, found.failure),
      );
    }
  }

  if ('failure' in app) results.push(failed(N.commands, s, app.failure));
  else if (guildId && !guild) results.push(skip(N.commands, 'cannot be read until the bot is in the server'));
  else results.push(await commandsCheck(s, applicationId, guildId));

  results.push(await updatesChannelCheck(s, bot.id, guild, invite));
  return results;
}

async function commandsCheck(s: Session, applicationId: string, guildId: string | null): Promise<CheckResult> {
  const where = guildId ? `in server ${guildId}` : 'globally';
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const list = await attempt<APIApplicationCommand[]>(() => s.rest.get(route));
  if ('failure' in list) return failed(N.commands, s, list.failure);
  const registered = new Set(list.value.map((c) => c.name));
  const missing = commandDefinitions.map((c) => c.name).filter((name) => !registered.has(name));
  const names = (xs: string[]) => xs.map((n) => `/${n}`).join(', ');
  if (missing.length > 0) {
    return warn(
      N.commands,
      `${names(missing)} not registered ${where}`,
      'start the bot once or run npm run deploy-commands',
    );
  }
  return ok(N.commands, `${names(commandDefinitions.map((c) => c.name))} registered ${where}`);
}

async function updatesChannelCheck(
  s: Session,
  botId: string,
  configuredGuild: APIGuild | null,
  invite: string,
): Promise<CheckResult> {
  const channelId = s.config.updatesChannelId;
  if (!channelId)
    return skip(N.channel, 'UPDATES_CHANNEL_ID is not set (a server admin can still choose one with /mjupdates)');
  const found = await attempt<APIChannel>(() => s.rest.get(Routes.channel(channelId)));
  if ('failure' in found) {
    const code = apiCode(found.failure);
    if (code === UNKNOWN_CHANNEL) {
      return fail(
        N.channel,
        `the bot cannot see channel ${channelId}: no such channel`,
        'check UPDATES_CHANNEL_ID (Developer Mode → right-click the channel → Copy Channel ID)',
      );
    }
    if (code === MISSING_ACCESS) {
      return fail(
        N.channel,
        `the bot cannot see channel ${channelId}`,
        `allow View Channel for the bot's role in that channel (Edit Channel → Permissions), or invite the bot to its server: ${invite}`,
      );
    }
    return failed(N.channel, s, found.failure);
  }
  const channel = found.value as APIChannel & {
    guild_id?: string;
    name?: string | null;
    permission_overwrites?: OverwriteWire[];
  };
  const label = channel.name ? `#${channel.name} (${channelId})` : `channel ${channelId}`;
  if (!channel.guild_id)
    return fail(
      N.channel,
      `${label} is not a server channel`,
      'set UPDATES_CHANNEL_ID to a text channel of your server',
    );
  if (THREAD_TYPES.has(channel.type))
    return warn(
      N.channel,
      `${label} is a thread; its permissions come from its parent and are not checked`,
      'prefer a text channel',
    );
  if (!POSTABLE_TYPES.has(channel.type))
    return fail(
      N.channel,
      `${label} is not a text channel (type ${channel.type})`,
      'set UPDATES_CHANNEL_ID to a text channel',
    );

  const guildId = channel.guild_id;
  const guild =
    configuredGuild?.id === guildId
      ? { value: configuredGuild }
      : await attempt<APIGuild>(() => s.rest.get(Routes.guild(guildId)));
  if ('failure' in guild) return failed(N.channel, s, guild.failure);
  const member = await attempt<APIGuildMember>(() => s.rest.get(Routes.guildMember(guildId, botId)));
  if ('failure' in member) {
    if (apiCode(member.failure) === UNKNOWN_MEMBER)
      return fail(
        N.channel,
        `the bot is not a member of the server of ${label}`,
        `invite the bot with the link ${invite}`,
      );
    return failed(N.channel, s, member.failure);
  }
  const permissions = channelPermissions({
    guildId,
    ownerId: guild.value.owner_id,
    roles: guild.value.roles,
    userId: botId,
    memberRoleIds: member.value.roles,
    overwrites: channel.permission_overwrites ?? [],
  });
  const missing = missingPermissionNames(permissions);
  if (missing.length > 0) {
    return fail(
      N.channel,
      `the bot lacks ${missing.join(', ')} in ${label}`,
      `Edit Channel → Permissions: allow ${missing.join(', ')} for the bot's role (or remove the overwrite that denies them)`,
    );
  }
  if (s.config.discord.guildId && guildId !== s.config.discord.guildId) {
    return warn(
      N.channel,
      `${label} is in server ${guildId}, not in DISCORD_GUILD_ID ${s.config.discord.guildId}`,
      'use a channel of the server set in DISCORD_GUILD_ID',
    );
  }
  return ok(N.channel, `${label}: the bot can view, send, embed links, attach files and read history`);
}
