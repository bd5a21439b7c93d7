// The publisher's InteractionMessenger over Discord's REST API: a member's interaction webhook
// (POST /webhooks/{application}/{token}?wait=true for a follow-up, PATCH and DELETE
// …/messages/{@original | id}), which Discord does not count against the bot's global limit. No bot
// token is sent (auth: false): the interaction token is the credential, and it dies after 15 minutes.
import { Routes, type REST } from 'discord.js';
import type { EventLog } from '../log.js';
import type { InteractionMessenger, MessageBody } from '../tracking/messenger.js';
import { toDeliveryError } from './channel-messenger.js';

export function createRestInteractionMessenger(rest: REST, options: { log?: EventLog } = {}): InteractionMessenger {
  const fail = (err: unknown, what: string): never => {
    const error = toDeliveryError(err);
    if (error.kind === 'invalid')
      options.log?.error(
        { event: 'discord.payload_refused', code: error.code, status: error.status },
        `Discord refused an interaction message ${what}`,
      );
    throw error;
  };
  return {
    async followUp(hook, body: MessageBody) {
      try {
        const message = (await rest.post(Routes.webhook(hook.applicationId, hook.token), {
          body,
          auth: false,
          query: new URLSearchParams({ wait: 'true' }),
        })) as { id: string };
        return { id: message.id };
      } catch (err) {
        return fail(err, 'follow-up');
      }
    },
    async edit(hook, messageRef, body: MessageBody) {
      try {
        const message = (await rest.patch(Routes.webhookMessage(hook.applicationId, hook.token, messageRef), {
          body,
          auth: false,
        })) as { id: string };
        return { id: message.id };
      } catch (err) {
        return fail(err, 'edit');
      }
    },
    async delete(hook, messageRef) {
      try {
        await rest.delete(Routes.webhookMessage(hook.applicationId, hook.token, messageRef), { auth: false });
      } catch (err) {
        fail(err, 'delete');
      }
    },
  };
}
