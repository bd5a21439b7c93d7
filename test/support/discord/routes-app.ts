// Gateway discovery, the bot's own user/application, and application commands (global and guild).
import type { ApiRequest, ApiResponse, Route, StandInCore } from './core.js';
import { httpErrors } from './http-errors.js';
import { objectBody } from './message-input.js';
import type { JsonObject } from './types.js';
import { commandListViolations, commandViolations } from './validate-commands.js';
import { isObject } from './validate-fields.js';
import { userWire } from './wire.js';

const ID = '(\\d+)';
const ok = (body: unknown): ApiResponse => ({ status: 200, body });

export function appRoutes(core: StandInCore): Route[] {
  const { applicationId, botUser } = core.settings;
  const wsUrl = () => core.origin.replace(/^http/, 'ws');

  const scope = (params: string[]): string | undefined => {
    if (params[0] !== applicationId) throw httpErrors.unknownApplication();
    const guildId = params[1];
    if (guildId !== undefined && !core.world.guild(guildId)) throw httpErrors.missingAccess();
    return guildId;
  };
  const overwrite = (request: ApiRequest): ApiResponse => {
    const guildId = scope(request.params);
    const violations = commandListViolations(request.body);
    if (violations.length) throw httpErrors.invalidFormBody(violations);
    return ok(core.commands.overwrite((request.body as unknown[]).filter(isObject), guildId));
  };
  const create = (request: ApiRequest): ApiResponse => {
    const guildId = scope(request.params);
    const body = objectBody(request);
    const violations = commandViolations(body);
    if (violations.length) throw httpErrors.invalidFormBody(violations);
    const { command, created } = core.commands.upsert(body, guildId);
    return { status: created ? 201 : 200, body: command };
  };
  const single = (request: ApiRequest) => {
    const guildId = scope(request.params.slice(0, -1));
    const command = core.commands.list(guildId).find((c) => c.id === request.params.at(-1));
    if (!command) throw httpErrors.unknownCommand();
    return { guildId, command };
  };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/gateway\/bot$/,
      auth: true,
      handle: () =>
        ok({
          url: wsUrl(),
          shards: core.settings.shards,
          // Discord raises max_concurrency (identifies at once) for large, sharded bots; 16 lets a
          // test's shards identify together instead of 5 s apart.
          session_start_limit: {
            total: 1000,
            remaining: 1000,
            reset_after: 0,
            max_concurrency: core.settings.shards > 1 ? 16 : 1,
          },
        }),
    },
    { method: 'GET', pattern: /^\/gateway$/, auth: false, handle: () => ok({ url: wsUrl() }) },
    {
      method: 'GET',
      pattern: /^\/users\/@me$/,
      auth: true,
      handle: () =>
        ok({
          ...userWire(botUser),
          bot: true,
          verified: true,
          mfa_enabled: false,
          flags: 0,
          email: null,
          locale: 'en-US',
        }),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/users/${ID}$`),
      auth: true,
      handle: ({ params: [userId = ''] }) => {
        for (const guild of core.world.guilds.values()) {
          const member = guild.members.get(userId);
          if (member) return ok(userWire(member.user));
        }
        throw httpErrors.unknownUser();
      },
    },
    {
      method: 'GET',
      pattern: /^\/applications\/@me$/,
      auth: true,
      handle: () =>
        ok({
          id: applicationId,
          name: botUser.username,
          icon: null,
          description: '',
          bot_public: false,
          bot_require_code_grant: false,
          verify_key: '0'.repeat(64),
          flags: 0,
          owner: { id: core.world.defaults().ownerUserId, username: 'owner', discriminator: '0', avatar: null },
          team: null,
          bot: userWire(botUser),
          approximate_guild_count: core.world.guilds.size,
          integration_types_config: { '0': {} },
        } satisfies JsonObject),
    },
  ];
  for (const prefix of ['/applications/(\\d+)', '/applications/(\\d+)/guilds/(\\d+)']) {
    routes.push(
      {
        method: 'GET',
        pattern: new RegExp(`^${prefix}/commands$`),
        auth: true,
        handle: ({ params }) => ok(core.commands.list(scope(params))),
      },
      { method: 'PUT', pattern: new RegExp(`^${prefix}/commands$`), auth: true, handle: overwrite },
      { method: 'POST', pattern: new RegExp(`^${prefix}/commands$`), auth: true, handle: create },
      {
        method: 'GET',
        pattern: new RegExp(`^${prefix}/commands/${ID}$`),
        auth: true,
        handle: (request) => ok(single(request).command),
      },
      {
        method: 'DELETE',
        pattern: new RegExp(`^${prefix}/commands/${ID}$`),
        auth: true,
        handle: (request) => {
          const { guildId, command } = single(request);
          core.commands.delete(command.id, guildId);
          return { status: 204 };
        },
      },
    );
  }
  return routes;
}
