// Interaction callbacks and the interaction webhook (@original, follow-ups). No bot token needed:
// the interaction token is the credential, valid for tokenLifetimeMs after dispatch.
import type { ApiRequest, ApiResponse, Route, StandInCore } from './core.js';
import { httpErrors } from './http-errors.js';
import type { InteractionRecord } from './interactions.js';
import { bodyIsEmpty, editLeavesEmpty, messageWire } from './message-store.js';
import { checkMessageInput, objectBody } from './message-input.js';
import type { JsonObject, StoredMessage } from './types.js';
import { autocompleteChoiceViolations, modalViolations } from './validate.js';
import { FLAG_EPHEMERAL, FLAG_IS_COMPONENTS_V2, FLAG_LOADING, isObject } from './validate-fields.js';
import { userWire } from './wire.js';

const ID = '(\\d+)';
const TOKEN = '([^/]+)';
// Flags an interaction reply may carry: suppress embeds, ephemeral, suppress notifications, V2.
const REPLY_FLAGS = (1 << 2) | FLAG_EPHEMERAL | (1 << 12) | FLAG_IS_COMPONENTS_V2;

const invalidType = (message: string) =>
  httpErrors.invalidFormBody([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message }]);

export function interactionRoutes(core: StandInCore): Route[] {
  const maxUploadBytes = core.settings.maxUploadBytes;

  const metadata = (record: InteractionRecord): JsonObject => {
    const user = core.world.guild(record.guildId)?.members.get(record.userId)?.user;
    return {
      id: record.id,
      type: record.type,
      user: user ? userWire(user) : { id: record.userId },
      authorizing_integration_owners: { '0': record.guildId },
      ...(record.type === 2 ? { name: record.name, command_type: 1 } : {}),
      ...(record.type === 3 && record.sourceMessageId ? { interacted_message_id: record.sourceMessageId } : {}),
    };
  };

  const createReply = (
    record: InteractionRecord,
    body: JsonObject,
    files: ApiRequest['files'],
    extraFlags: number,
  ): StoredMessage => {
    const flags = ((typeof body.flags === 'number' ? body.flags : 0) & REPLY_FLAGS) | extraFlags;
    const message = core.messages.create(record.channelId, { ...body, flags }, files, {
      author: core.botAuthor(),
      type: record.type === 2 ? 20 : 0,
      flags: flags & (FLAG_EPHEMERAL | FLAG_LOADING),
      webhookId: record.applicationId,
      applicationId: record.applicationId,
      interactionMetadata: metadata(record),
    });
    core.emitMessage('MESSAGE_CREATE', message);
    return message;
  };

  const sourceMessage = (record: InteractionRecord): StoredMessage => {
    const message = record.sourceMessageId ? core.messages.get(record.channelId, record.sourceMessageId) : undefined;
    if (!message) throw httpErrors.unknownMessage();
    return message;
  };

  const callback = (request: ApiRequest): ApiResponse => {
    const [interactionId = '', token = ''] = request.params;
    const record = core.interactions.get(interactionId);
    if (!record || record.token !== token) throw httpErrors.unknownInteraction();
    if (record.callback) throw httpErrors.alreadyAcknowledged();
    if (core.now() - record.dispatchedAt > core.settings.ackDeadlineMs) throw httpErrors.unknownInteraction();
    const body = objectBody(request);
    const data = isObject(body.data) ? body.data : null;
    const type = body.type;
    const canUpdate = record.type === 3 || (record.type === 5 && record.sourceMessageId !== null);
    let message: StoredMessage | null = null;
    // An autocomplete interaction (type 4) takes only its result (8), and only it takes one.
    if ((record.type === 4) !== (type === 8))
      throw invalidType(
        record.type === 4
          ? 'An autocomplete interaction only accepts APPLICATION_COMMAND_AUTOCOMPLETE_RESULT'
          : 'APPLICATION_COMMAND_AUTOCOMPLETE_RESULT is only valid for autocomplete interactions',
      );
    switch (type) {
      case 8: {
        const violations = autocompleteChoiceViolations(data);
        if (violations.length) throw httpErrors.invalidFormBody(violations, ['data']);
        break;
      }
      case 4: {
        const payload = data ?? {};
        checkMessageInput(payload, request.files, { prefix: ['data'], maxUploadBytes });
        if (bodyIsEmpty(payload, request.files)) throw httpErrors.emptyMessage();
        message = createReply(record, payload, request.files, 0);
        record.originalMessageId = message.id;
        break;
      }
      case 5: {
        const ephemeral = typeof data?.flags === 'number' ? data.flags & FLAG_EPHEMERAL : 0;
        message = createReply(record, {}, [], FLAG_LOADING | ephemeral);
        record.originalMessageId = message.id;
        break;
      }
      case 6:
        if (!canUpdate) throw invalidType('DEFERRED_UPDATE_MESSAGE is only valid for component interactions');
        record.originalMessageId = sourceMessage(record).id;
        break;
      case 7: {
        if (!canUpdate) throw invalidType('UPDATE_MESSAGE is only valid for component interactions');
        const source = sourceMessage(record);
        const payload = data ?? {};
        checkMessageInput(payload, request.files, { flags: source.flags, prefix: ['data'], maxUploadBytes });
        if (editLeavesEmpty(source, payload, request.files)) throw httpErrors.emptyMessage();
        message = core.messages.edit(source, payload, request.files);
        core.emitMessage('MESSAGE_UPDATE', message);
        record.originalMessageId = message.id;
        break;
      }
      case 9: {
        if (record.type === 5) throw invalidType('A modal cannot be the response to a modal submit');
        const violations = modalViolations(data);
        if (violations.length) throw httpErrors.invalidFormBody(violations, ['data']);
        record.modal = data;
        break;
      }
      default:
        throw httpErrors.invalidFormBody([
          { path: ['type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {4, 5, 6, 7, 9, 10, 12}.' },
        ]);
    }
    record.callback = { type: type, data, at: core.now() };
    if (request.query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: record.id,
          type: record.type,
          activity_instance_id: null,
          response_message_id: message?.id ?? null,
          response_message_loading: message ? (message.flags & FLAG_LOADING) !== 0 : null,
          response_message_ephemeral: message ? (message.flags & FLAG_EPHEMERAL) !== 0 : null,
        },
        resource: message ? { type, message: messageWire(message) } : { type },
      },
    };
  };

  /** The interaction behind a webhook token, if the token still works. */
  const webhook = ([applicationId = '', token = '']: string[]): InteractionRecord => {
    if (applicationId !== core.settings.applicationId) throw httpErrors.unknownWebhook();
    const record = core.interactions.byToken(token);
    if (!record || core.now() - record.dispatchedAt > core.settings.tokenLifetimeMs)
      throw httpErrors.invalidWebhookToken();
    // The webhook exists only once the interaction has been acknowledged.
    if (!record.callback) throw httpErrors.unknownWebhook();
    return record;
  };

  const webhookMessage = (record: InteractionRecord, messageId: string): StoredMessage => {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const own = id !== null && (id === record.originalMessageId || record.followUpIds.includes(id));
    const message = own && id ? core.messages.get(record.channelId, id) : undefined;
    if (!message) throw httpErrors.unknownMessage();
    return message;
  };

  return [
    { method: 'POST', pattern: new RegExp(`^/interactions/${ID}/${TOKEN}/callback$`), auth: false, handle: callback },
    {
      method: 'GET',
      pattern: new RegExp(`^/webhooks/${ID}/${TOKEN}/messages/(@original|\\d+)$`),
      auth: false,
      handle: ({ params }) => ({ status: 200, body: messageWire(webhookMessage(webhook(params), params[2] ?? '')) }),
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^/webhooks/${ID}/${TOKEN}/messages/(@original|\\d+)$`),
      auth: false,
      handle: (request) => {
        const record = webhook(request.params);
        return core.limitedWebhook(record.token, 'PATCH', () => {
          const message = webhookMessage(record, request.params[2] ?? '');
          const body = objectBody(request);
          checkMessageInput(body, request.files, { flags: message.flags, maxUploadBytes });
          if (editLeavesEmpty(message, body, request.files)) throw httpErrors.emptyMessage();
          const next = core.messages.edit(message, body, request.files);
          core.emitMessage('MESSAGE_UPDATE', next);
          return { status: 200, body: messageWire(next) };
        });
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^/webhooks/${ID}/${TOKEN}/messages/(@original|\\d+)$`),
      auth: false,
      handle: ({ params }) => {
        const record = webhook(params);
        return core.limitedWebhook(record.token, 'DELETE', () => {
          const message = webhookMessage(record, params[2] ?? '');
          core.messages.delete(message.channel_id, message.id);
          core.emitMessageDelete(message);
          return { status: 204 };
        });
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/webhooks/${ID}/${TOKEN}$`),
      auth: false,
      handle: (request) =>
        core.limitedWebhook(webhook(request.params).token, 'POST', () => {
          const record = webhook(request.params);
          const body = objectBody(request);
          checkMessageInput(body, request.files, { maxUploadBytes });
          if (bodyIsEmpty(body, request.files)) throw httpErrors.emptyMessage();
          const original = record.originalMessageId
            ? core.messages.get(record.channelId, record.originalMessageId)
            : undefined;
          let message: StoredMessage;
          if (original && original.flags & FLAG_LOADING) {
            // Discord: the first follow-up after a deferred reply replaces the "thinking…" message.
            message = core.messages.edit(original, body, request.files);
            core.emitMessage('MESSAGE_UPDATE', message);
          } else {
            message = createReply(record, body, request.files, 0);
            record.followUpIds.push(message.id);
          }
          if (request.query.get('wait') !== 'true') return { status: 204 };
          return { status: 200, body: messageWire(message) };
        }),
    },
  ];
}
