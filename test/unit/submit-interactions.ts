// discord.js-shaped interactions for the click-flow tests (submit-fakes.ts has the MJ API, the tracker
// and the handler context): a rendered message, a button click, a form submit and a slash command,
// each recording every response the handlers give it.
import { MessageFlags } from 'discord.js';
import type { MjTask } from '../../src/mj/schema.js';
import { renderTask } from '../../src/render/task-message.js';
import { CHANNEL, GRID_BUTTONS, GUILD, REQUESTER, task } from './submit-fakes.js';

/** A message as the bot renders it, shaped like a discord.js Message. */
export function fakeMessage(
  opts: {
    task?: MjTask;
    requesterId?: string;
    id?: string;
    ephemeral?: boolean;
    raw?: ReturnType<typeof renderTask>;
  } = {},
) {
  const payload =
    opts.raw ??
    renderTask(opts.task ?? task({ buttons: GRID_BUTTONS }), opts.requesterId ? { requesterId: opts.requesterId } : {});
  return {
    id: opts.id ?? '900000000000000010',
    channelId: CHANNEL,
    content: payload.content,
    embeds: payload.embeds,
    components: payload.components.map((row) => ({ toJSON: () => row })),
    flags: { has: (flag: number) => opts.ephemeral === true && flag === Number(MessageFlags.Ephemeral) },
    interactionMetadata: null,
  };
}

export interface Recorder {
  events: string[];
  replies: Array<{ kind: string; body: Record<string, unknown> }>;
  modals: Array<Record<string, unknown>>;
}

export function recorder(events: string[]): Recorder {
  return { events, replies: [], modals: [] };
}

type Kind = 'command' | 'button' | 'modal';

function base(rec: Recorder, userId: string, extra: { roleIds?: string[]; manager?: boolean }, kind: Kind) {
  return {
    isChatInputCommand: () => kind === 'command',
    isButton: () => kind === 'button',
    isModalSubmit: () => kind === 'modal',
    isRepliable: () => true,
    user: { id: userId },
    member: { roles: extra.roleIds ?? [] },
    memberPermissions: { has: () => extra.manager === true },
    guildId: GUILD as string | null,
    channelId: CHANNEL,
    deferred: false,
    replied: false,
    ephemeral: null as boolean | null,
    // No REST client: every channel request goes through the publisher's gate (ctx.messages).
    client: {},
    async deferReply() {
      rec.events.push('deferReply');
      this.deferred = true;
      this.ephemeral = true;
    },
    async reply(body: Record<string, unknown>) {
      rec.events.push('reply');
      this.replied = true;
      rec.replies.push({ kind: 'reply', body });
    },
    async editReply(body: Record<string, unknown>) {
      rec.events.push('editReply');
      rec.replies.push({ kind: 'editReply', body });
    },
    async followUp(body: Record<string, unknown>) {
      rec.replies.push({ kind: 'followUp', body });
    },
    async deleteReply() {},
    async showModal(modal: Record<string, unknown>) {
      rec.events.push('showModal');
      rec.modals.push(modal);
    },
  };
}

/**
 * Discord only sends a click for a button the message carries: the message with `customId` added in a
 * row of its own when its rendered rows lack it (tests click buttons by id, not by position).
 */
function withButton(message: ReturnType<typeof fakeMessage>, customId: string): ReturnType<typeof fakeMessage> {
  const carried = message.components.some((row) =>
    (row.toJSON() as { components: Array<{ custom_id?: string }> }).components.some((b) => b.custom_id === customId),
  );
  if (carried) return message;
  const row = { type: 1, components: [{ type: 2, style: 2, custom_id: customId, label: 'extra' }] };
  return { ...message, components: [...message.components, { toJSON: () => row }] };
}

export function buttonClick(
  rec: Recorder,
  opts: {
    customId: string;
    label?: string;
    message: ReturnType<typeof fakeMessage>;
    userId?: string;
    roleIds?: string[];
    manager?: boolean;
    /** A custom_id the message does not carry, as a modified client could send; default false. */
    crafted?: boolean;
  },
): never {
  return {
    ...base(rec, opts.userId ?? REQUESTER, opts, 'button'),
    customId: opts.customId,
    component: { label: opts.label ?? '' },
    message: opts.crafted ? opts.message : withButton(opts.message, opts.customId),
  } as never;
}

export function modalSubmit(
  rec: Recorder,
  opts: { customId: string; prompt: string; message: ReturnType<typeof fakeMessage> | null; userId?: string },
): never {
  const fields = { getTextInputValue: (id: string) => (id === 'prompt' ? opts.prompt : '') };
  return {
    ...base(rec, opts.userId ?? REQUESTER, {}, 'modal'),
    customId: opts.customId,
    fields,
    message: opts.message,
  } as never;
}

export function slashCommand(rec: Recorder, prompt: string, userId = REQUESTER): never {
  return {
    ...base(rec, userId, {}, 'command'),
    commandName: 'imagine',
    options: {
      getString: (name: string) => (name === 'prompt' ? prompt : null),
      getAttachment: () => null,
      get: () => undefined,
    },
  } as never;
}

/** What the last reply said (content only). */
export function lastContent(rec: Recorder): string {
  return String(rec.replies.at(-1)?.body.content ?? '');
}
