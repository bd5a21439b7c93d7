// Facts the submit flows read from discord.js interactions: who clicked (roles, Manage Guild), where,
// whether the source message is the member's own ephemeral reply, and the clicked button's label.
import {
  MessageFlags,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { MjButtonKind } from '../mj/custom-id.js';
import type { Clicker } from './guards.js';

export type ActionInteraction = ButtonInteraction | ModalSubmitInteraction | ChatInputCommandInteraction;

/** Role ids of the member: a cached GuildMember, or the raw API member (roles: string[]) of an uncached guild. */
function roleIdsOf(member: ActionInteraction['member']): string[] {
  if (!member) return [];
  const roles = (member as { roles?: unknown }).roles;
  if (Array.isArray(roles)) return roles.filter((r): r is string => typeof r === 'string');
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

export function clickerOf(interaction: ActionInteraction): Clicker {
  return {
    userId: interaction.user.id,
    roleIds: roleIdsOf(interaction.member),
    canManageGuild: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true,
  };
}

/** The channel the interaction came from (the fallback place to report a task). */
export function originChannelId(interaction: ActionInteraction): string {
  if (interaction.channelId) return interaction.channelId;
  const message = 'message' in interaction ? interaction.message : null;
  return message?.channelId ?? '';
}

export function isEphemeralMessage(
  message: { flags?: { has(flag: number): boolean } | null } | null | undefined,
): boolean {
  return message?.flags?.has(MessageFlags.Ephemeral) === true;
}

/** The label a member sees on the button, or the catalog's name for an emoji-only button. */
export function buttonLabelOf(interaction: ButtonInteraction, kind: MjButtonKind): string {
  const label = (interaction.component as { label?: string | null } | null)?.label?.trim();
  return label ? label : kind.fallbackLabel;
}

/** A message with its component rows (discord.js objects with toJSON, or plain rows). */
export interface MessageWithComponents {
  components: ReadonlyArray<{ toJSON?: () => unknown } | object>;
}

function collectCustomIds(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectCustomIds(child, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const { custom_id: customId, components, accessory } = node as Record<string, unknown>;
  if (typeof customId === 'string') out.push(customId);
  collectCustomIds(components, out);
  collectCustomIds(accessory, out);
}

/** Every custom_id on a message, as the bot rendered it: what a click on that message can carry. */
export function customIdsOnMessage(message: MessageWithComponents): string[] {
  const out: string[] = [];
  for (const row of message.components) {
    const json = 'toJSON' in row && typeof row.toJSON === 'function' ? row.toJSON() : row;
    collectCustomIds(json, out);
  }
  return out;
}
