// Shared steps of the zh-CN e2e files (test/e2e/zh-cn-*.test.ts): a member whose Discord client is in
// Simplified Chinese (interaction `locale: 'zh-CN'`), a server whose own locale is zh-CN, and the check
// that a text is Chinese with no English left in it but names (Midjourney, U1, Custom Zoom…), ids and
// whatever the test says is the member's or the server's own text.
import { expect } from 'vitest';
import type { InteractionUser } from '../support/discord/index.js';
import { defaultGuildSpec } from '../support/discord/world.js';
import type { Harness } from '../support/harness.js';
import { answerOf, expectAckInTime, type ClickAnswer, type Shown } from './support-clicks.js';

export const ZH = 'zh-CN';

/** The default stand-in server, with Discord's guild_locale zh-CN. */
export const chineseServer = () => ({ guilds: [{ ...defaultGuildSpec(), locale: ZH }] });

/**
 * Latin words a Chinese sentence may keep: product and format names, Midjourney's own button and
 * parameter names, environment settings an admin types as they are.
 */
const NAMES = [
  'Midjourney',
  'niji・journey',
  'Discord',
  'Custom Zoom',
  'Vary (Region)',
  'Vary (Subtle)',
  'Vary (Strong)',
  'Remix',
  'Zoom',
  'WebP',
  'True',
];

/** The English words (4+ letters) left in `text` once names, mentions, links, setting names and `allowed` are taken out. */
export function englishLeftovers(text: string, allowed: readonly string[] = []): string[] {
  let rest = text;
  for (const name of [...allowed, ...NAMES].sort((a, b) => b.length - a.length)) rest = rest.split(name).join(' ');
  rest = rest
    .replace(/<(?:@[!&]?|#|t:)[^>]*>/g, ' ') // mentions, channels, timestamps
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/--[a-z]+/g, ' ') // Midjourney parameters (--zoom, --ar)
    .replace(/\b[A-Z][A-Z0-9_]+\b/g, ' '); // HTTP, JSON, MJ_API_KEY, UPDATES_CHANNEL_ID
  return rest.match(/[A-Za-z]{4,}/g) ?? [];
}

/** Asserts a text a member reads is Chinese through and through. */
export function expectChinese(text: string, allowed: readonly string[] = [], what = 'the reply'): void {
  expect(text, `${what} is in Chinese`).toMatch(/\p{Script=Han}/u);
  expect(englishLeftovers(text, allowed), `English left in ${what}: ${text}`).toEqual([]);
}

/** Runs a command as a zh-CN member (default the plain member) and returns the final private answer. */
export async function zhCommand(
  h: Harness,
  name: string,
  options: Record<string, string | number | boolean> = {},
  who: InteractionUser = {},
): Promise<ClickAnswer> {
  const interaction = h.discord.slashCommand({ name, options, locale: ZH, ...who });
  return answerOf(h, interaction.id);
}

/** Clicks a button of a shown message as a zh-CN member and waits for the final private answer. */
export function zhClick(
  h: Harness,
  shown: Pick<Shown, 'channelId' | 'messageId'>,
  customId: string,
  who: InteractionUser & { crafted?: boolean } = {},
): Promise<ClickAnswer> {
  const interaction = h.discord.clickButton({ ...shown, customId, locale: ZH, ...who });
  return answerOf(h, interaction.id);
}

/** Clicks a button that answers with a form, as a zh-CN member; returns the form as Discord shows it. */
export async function zhForm(
  h: Harness,
  shown: Pick<Shown, 'channelId' | 'messageId'>,
  customId: string,
  who: InteractionUser = {},
) {
  const interaction = h.discord.clickButton({ ...shown, customId, locale: ZH, ...who });
  const view = await expectAckInTime(h, interaction.id);
  expect(view.callbackType, 'the form is the first response').toBe(9);
  const modal = view.modal as {
    custom_id: string;
    title: string;
    components: Array<{
      label?: string;
      description?: string;
      component?: { custom_id: string; placeholder?: string };
    }>;
  };
  const field = modal.components.find((c) => c.component !== undefined);
  return {
    interactionId: interaction.id,
    customId: modal.custom_id,
    inputId: field?.component?.custom_id ?? '',
    /** Everything the form says: its title, the field's label, hint and placeholder. */
    words: [modal.title, field?.label ?? '', field?.description ?? '', field?.component?.placeholder ?? ''],
  };
}

/** Submits a form as a zh-CN member and waits for the final private answer. */
export function zhSubmit(
  h: Harness,
  form: { customId: string; interactionId: string; inputId: string },
  prompt: string,
  who: InteractionUser = {},
) {
  const interaction = h.discord.submitModal({
    customId: form.customId,
    fromInteractionId: form.interactionId,
    fields: { [form.inputId]: prompt },
    locale: ZH,
    ...who,
  });
  return answerOf(h, interaction.id);
}

/** The labels of the buttons the bot names itself on a message (link buttons, ✉️ Seed, Edit prompt). */
export function ownButtonLabels(message: { components: unknown[] } | undefined): string[] {
  return (message?.components ?? []).flatMap((row) =>
    ((row as { components?: Array<{ style: number; label?: string; custom_id?: string }> }).components ?? [])
      .filter((b) => b.style === 5 || (b.custom_id !== undefined && !/^(MJ::|mjk:)/.test(b.custom_id)))
      .map((b) => b.label ?? ''),
  );
}
