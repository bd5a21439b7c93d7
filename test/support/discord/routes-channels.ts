// Bot-token routes on channels, their messages, and the guild reads discord.js may make.
import type { ApiResponse, Route, StandInCore } from './core.js';
import { httpErrors } from './http-errors.js';
import { bodyIsEmpty, editLeavesEmpty, messageWire } from './message-store.js';
import { historyPage } from './message-history.js';
import { checkMessageInput, objectBody } from './message-input.js';
import { Permission } from './permissions.js';
import { FLAG_EPHEMERAL } from './validate-fields.js';
import type { JsonObject } from './types.js';
import { channelWire, guildWire, memberWire, roleWire } from './wire.js';

const ID = '(\\d+)';
const ok = (body: unknown): ApiResponse => ({ status: 200, body });

export function channelRoutes(core: StandInCore): Route[] {
  const visibleMessage = (channelId: string, messageId: string) => {
    const message = core.messages.get(channelId, messageId);
    // Ephemeral messages exist only for their interaction's webhook, never on channel routes.
    if (!message || message.flags & FLAG_EPHEMERAL) throw httpErrors.unknownMessage();
    return message;
  };
  const maxUploadBytes = core.settings.maxUploadBytes;

  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}$`),
      auth: true,
      handle: ({ params: [channelId = ''] }) => {
        const { channel } = core.channelOr404(channelId);
        core.requireBotPermission(channelId, Permission.ViewChannel);
        return ok(channelWire(channel));
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/messages$`),
      auth: true,
      handle: ({ params: [channelId = ''], query }) => {
        core.channelOr404(channelId);
        core.requireBotPermission(channelId, Permission.ViewChannel);
        if (!(core.world.permissions(channelId, core.settings.botUser.id) & Permission.ReadMessageHistory))
          return ok([]);
        // Ephemeral messages are never listed; the page's rules: message-history.ts.
        const visible = core.messages.list(channelId).filter((m) => !(m.flags & FLAG_EPHEMERAL));
        return ok(historyPage(visible, query).map(messageWire));
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/channels/${ID}/messages$`),
      auth: true,
      handle: (request) => {
        const channelId = request.params[0] ?? '';
        core.channelOr404(channelId);
        return core.limited(channelId, 'POST', () => {
          core.requireBotPermission(channelId, Permission.SendMessages);
          if (request.files.length) core.requireBotPermission(channelId, Permission.AttachFiles);
          const body = objectBody(request);
          checkMessageInput(body, request.files, { maxUploadBytes });
          checkNonce(body);
          if (bodyIsEmpty(body, request.files)) throw httpErrors.emptyMessage();
          // enforce_nonce: the same author repeating a nonce within a few minutes gets the existing
          // message back (200, no second MESSAGE_CREATE) instead of a duplicate.
          if (body.enforce_nonce === true && (typeof body.nonce === 'string' || typeof body.nonce === 'number')) {
            const notBefore = core.now() - core.settings.nonceWindowMs;
            const existing = core.messages.findByNonce(channelId, core.settings.botUser.id, body.nonce, notBefore);
            if (existing) return ok(messageWire(existing));
          }
          const reply = typeof body.message_reference === 'object' && body.message_reference !== null;
          const message = core.messages.create(channelId, body, request.files, {
            author: core.botAuthor(),
            type: reply ? 19 : 0,
          });
          core.emitMessage('MESSAGE_CREATE', message);
          return ok(messageWire(message));
        });
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: true,
      handle: ({ params: [channelId = '', messageId = ''] }) => {
        core.channelOr404(channelId);
        core.requireBotPermission(channelId, Permission.ReadMessageHistory, httpErrors.missingAccess);
        return ok(messageWire(visibleMessage(channelId, messageId)));
      },
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: true,
      handle: (request) => {
        const [channelId = '', messageId = ''] = request.params;
        core.channelOr404(channelId);
        return core.limited(channelId, 'PATCH', () => {
          core.requireBotPermission(channelId, Permission.ViewChannel);
          const message = visibleMessage(channelId, messageId);
          if (message.author.id !== core.settings.botUser.id) throw httpErrors.cannotEditOthersMessage();
          const body = objectBody(request);
          checkMessageInput(body, request.files, { flags: message.flags, maxUploadBytes });
          if (editLeavesEmpty(message, body, request.files)) throw httpErrors.emptyMessage();
          const next = core.messages.edit(message, body, request.files);
          core.emitMessage('MESSAGE_UPDATE', next);
          return ok(messageWire(next));
        });
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/channels/${ID}/messages/${ID}$`),
      auth: true,
      handle: ({ params: [channelId = '', messageId = ''] }) => {
        core.channelOr404(channelId);
        return core.limited(channelId, 'DELETE', () => {
          core.requireBotPermission(channelId, Permission.ViewChannel);
          const message = visibleMessage(channelId, messageId);
          if (message.author.id !== core.settings.botUser.id)
            core.requireBotPermission(channelId, Permission.ManageMessages);
          core.messages.delete(channelId, messageId);
          core.emitMessageDelete(message);
          return { status: 204 };
        });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/channels/${ID}/typing$`),
      auth: true,
      handle: ({ params: [channelId = ''] }) => {
        core.channelOr404(channelId);
        core.requireBotPermission(channelId, Permission.SendMessages);
        return { status: 204 };
      },
    },
    ...guildRoutes(core),
  ];
}

/** Discord takes an integer or a string of at most 25 characters as a nonce. */
function checkNonce(body: JsonObject): void {
  const nonce = body.nonce;
  if (nonce === undefined || nonce === null || typeof nonce === 'number') return;
  if (typeof nonce !== 'string')
    throw httpErrors.invalidFormBody([
      { path: ['nonce'], code: 'NONCE_TYPE_INVALID', message: 'Nonce must be an integer or string.' },
    ]);
  if (nonce.length > 25)
    throw httpErrors.invalidFormBody([
      { path: ['nonce'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' },
    ]);
}

function guildRoutes(core: StandInCore): Route[] {
  const guildOr404 = (guildId: string) => {
    const guild = core.world.guild(guildId);
    if (!guild) throw httpErrors.unknownGuild();
    return guild;
  };
  return [
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}$`),
      auth: true,
      handle: ({ params: [id = ''] }) => ok(guildWire(guildOr404(id))),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/channels$`),
      auth: true,
      handle: ({ params: [id = ''] }) => ok([...guildOr404(id).channels.values()].map(channelWire)),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/roles$`),
      auth: true,
      handle: ({ params: [id = ''] }) => ok([...guildOr404(id).roles.values()].map(roleWire)),
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/guilds/${ID}/members/${ID}$`),
      auth: true,
      handle: ({ params: [id = '', userId = ''] }) => {
        const member = guildOr404(id).members.get(userId);
        if (!member) throw httpErrors.unknownMember();
        return ok(memberWire(member));
      },
    },
  ];
}
