// The doctor's Discord checks against the Discord stand-in: the token, an unreachable API, the
// registered commands, a bot missing from the server, and the updates channel's permissions as
// Discord computes them (roles and overwrites).
import { describe, expect, it } from 'vitest';
import { inviteUrl } from '../../src/doctor/permissions.js';
import { Permission } from '../support/discord/index.js';
import { COMMANDS, doctor, freePort, useDoctorFixture } from '../support/doctor.js';

const fx = useDoctorFixture();

describe('runDoctor: Discord', () => {
  it('says Discord rejected the token, and skips what needs it', async () => {
    const run = await doctor(fx.envFor(fx.discord, fx.mj, { DISCORD_TOKEN: `${fx.discord.token.slice(0, -4)}AAAA` }));
    const token = run.check('Discord token');
    expect(token).toMatchObject({ status: 'fail', detail: expect.stringContaining('Discord rejected DISCORD_TOKEN') });
    expect(token.fix).toContain('reset it in the Developer Portal');
    expect(run.check('Discord server')).toMatchObject({ status: 'skip', detail: 'needs a working Discord token' });
    expect(run.check('Updates channel').status).toBe('skip');
    expect(run.check('Midjourney API key').status).toBe('ok');
    expect(run.report.ok).toBe(false);
    expect(
      run.lines.some((l) => l.startsWith('✖ Discord token — Discord rejected DISCORD_TOKEN (HTTP 401) → reset it')),
    ).toBe(true);
  });

  it('says when Discord cannot be reached', async () => {
    const port = await freePort();
    const run = await doctor(fx.envFor(fx.discord, fx.mj, { DISCORD_API_URL: `http://127.0.0.1:${port}/api` }));
    expect(run.check('Discord token')).toMatchObject({
      status: 'fail',
      detail: `cannot reach Discord at 127.0.0.1:${port} (ECONNREFUSED)`,
    });
  });

  it('warns when the slash commands are not registered, and reads global ones without a server', async () => {
    const fresh = await fx.discordStandIn();
    const run = await doctor(fx.envFor(fresh, fx.mj, { UPDATES_CHANNEL_ID: undefined }));
    const commands = run.check('Slash commands');
    expect(commands).toMatchObject({ status: 'warn', fix: 'start the bot once or run npm run deploy-commands' });
    expect(commands.detail).toContain('/mjtask, /imagine');
    expect(run.check('Updates channel').status).toBe('skip');
    expect(run.report.ok).toBe(true);
    expect(run.lines).toContain(
      `⚠ Slash commands — ${commands.detail} → start the bot once or run npm run deploy-commands`,
    );

    fresh.registerCommands(COMMANDS);
    const global = await doctor(
      fx.envFor(fresh, fx.mj, { DISCORD_GUILD_ID: undefined, UPDATES_CHANNEL_ID: undefined }),
    );
    expect(global.check('Slash commands')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('registered globally'),
    });
    expect(global.check('Discord server')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining(inviteUrl(fresh.applicationId, null)),
    });
  });

  it('gives the invite link when the bot is not in the server (or the id is wrong)', async () => {
    const wrongGuild = '1180000000000009999';
    const run = await doctor(fx.envFor(fx.discord, fx.mj, { DISCORD_GUILD_ID: wrongGuild }));
    const server = run.check('Discord server');
    expect(server).toMatchObject({ status: 'fail', detail: expect.stringContaining(`not in server ${wrongGuild}`) });
    const link = new URL(/https:\/\/discord\.com\/oauth2\/authorize\S+/.exec(server.fix ?? '')![0]);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      client_id: fx.discord.applicationId,
      scope: 'bot applications.commands',
      permissions: '117760',
      guild_id: wrongGuild,
      disable_guild_select: 'true',
    });
    expect(run.check('Slash commands')).toMatchObject({ status: 'skip' });
  });

  it('names each permission the bot lacks in the updates channel', async () => {
    const channelId = fx.discord.defaults.otherChannelId;
    fx.discord.revokeAccess(channelId, 'send');
    fx.discord.revokeAccess(channelId, 'attach');
    try {
      const run = await doctor(fx.envFor(fx.discord, fx.mj));
      expect(run.check('Updates channel')).toMatchObject({
        status: 'fail',
        detail: `the bot lacks Send Messages, Attach Files in #mj-updates (${channelId})`,
        fix: expect.stringContaining('allow Send Messages, Attach Files'),
      });
      fx.discord.revokeAccess(channelId, 'view');
      const hidden = await doctor(fx.envFor(fx.discord, fx.mj));
      expect(hidden.check('Updates channel')).toMatchObject({
        status: 'fail',
        detail: `the bot cannot see channel ${channelId}`,
      });
    } finally {
      fx.discord.restoreAccess(channelId);
    }
    const unknown = await doctor(fx.envFor(fx.discord, fx.mj, { UPDATES_CHANNEL_ID: '1180000000000009998' }));
    expect(unknown.check('Updates channel')).toMatchObject({
      status: 'fail',
      detail: 'the bot cannot see channel 1180000000000009998: no such channel',
    });
  });

  it('applies role overwrites: @everyone denied, the bot role allowed but without Embed Links', async () => {
    const guildId = '1190000000000000100';
    const botRole = '1190000000000000401';
    const locked = '1190000000000000200';
    const world = await fx.discordStandIn({
      guilds: [
        {
          id: guildId,
          channels: [
            {
              id: locked,
              name: 'locked',
              permission_overwrites: [
                { id: guildId, type: 0, deny: Permission.ViewChannel | Permission.SendMessages },
                {
                  id: botRole,
                  type: 0,
                  allow: Permission.ViewChannel | Permission.SendMessages,
                  deny: Permission.EmbedLinks,
                },
              ],
            },
          ],
          roles: [
            {
              id: botRole,
              name: 'mjtask-bot',
              permissions:
                Permission.ViewChannel | Permission.EmbedLinks | Permission.AttachFiles | Permission.ReadMessageHistory,
              managed: true,
            },
          ],
        },
      ],
    });
    world.registerCommands(COMMANDS, guildId);
    const run = await doctor(fx.envFor(world, fx.mj, { UPDATES_CHANNEL_ID: locked }));
    expect(run.check('Updates channel')).toMatchObject({
      status: 'fail',
      detail: `the bot lacks Embed Links in #locked (${locked})`,
    });
  });
});
