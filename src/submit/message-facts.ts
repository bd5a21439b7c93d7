// Pure facts read from (or written into) the task message a member clicked, so a click needs no
// stored state: who started the task, which button was used, and the correlation fields of a submit.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
} from 'discord-api-types/v10';

/**
 * Who started the task the message shows. render/task-message.ts writes `**prompt** - <@id> (status)`
 * with the prompt's '<' escaped, so the first unescaped user mention is the requester. A /mjtask reply
 * without a mention falls back to the member who ran the command (interaction metadata).
 */
export function requesterFromMessage(message: {
  content?: string | null;
  interactionMetadata?: { user?: { id?: string | null } | null } | null;
}): string | null {
  const m = /(?<!\\)<@!?(\d{15,25})>/.exec(message.content ?? '');
  if (m?.[1] !== undefined) return m[1];
  const commandUser = message.interactionMetadata?.user?.id;
  return typeof commandUser === 'string' && /^\d{15,25}$/.test(commandUser) ? commandUser : null;
}

/**
 * The message's rows with the button whose custom_id is `customId` shown as used (Primary, blue, as
 * Midjourney does) and everything else untouched; null when there is nothing to change (no such
 * button, or it is already Primary), so the caller skips the edit.
 */
export function markButtonUsed(
  rows: ReadonlyArray<APIActionRowComponent<APIComponentInMessageActionRow>>,
  customId: string,
): APIActionRowComponent<APIComponentInMessageActionRow>[] | null {
  let changed = false;
  const out = rows.map((row) => ({
    ...row,
    components: row.components.map((component) => {
      if (component.type !== ComponentType.Button || !('custom_id' in component) || component.custom_id !== customId)
        return component;
      if (component.style === ButtonStyle.Primary) return component;
      changed = true;
      return { ...component, style: ButtonStyle.Primary as const };
    }),
  }));
  return changed ? out : null;
}

/** State echoed by the API with the task and its notifications (FORK limit 255). */
export function submitState(guildId: string | null, userId: string): string {
  return `mjtask-bot:${guildId ?? 'dm'}:${userId}`.slice(0, 255);
}

/** Reads back submitState(); null for a state this bot did not write (another tool sharing the API). */
export function parseSubmitState(state: string | null | undefined): { guildId: string | null; userId: string } | null {
  const m = /^mjtask-bot:(dm|\d{17,20}):(\d{17,20})$/.exec(state ?? '');
  if (!m || !m[1] || !m[2]) return null;
  return { guildId: m[1] === 'dm' ? null : m[1], userId: m[2] };
}

/** notifyHook (only when the receiver is configured) and state for any submit. */
export function submitCallbacks(
  notifyHookUrl: string | null | undefined,
  guildId: string | null,
  userId: string,
): { notifyHook?: string; state: string } {
  return notifyHookUrl
    ? { notifyHook: notifyHookUrl, state: submitState(guildId, userId) }
    : { state: submitState(guildId, userId) };
}
