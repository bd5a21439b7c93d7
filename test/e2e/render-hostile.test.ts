// Hostile task text, end to end through /mjtask: a prompt too long to fit anywhere is still shown
// (M3), an action written as a member's mention does not make that member the task's owner (M4),
// and a masked link or @everyone in failReason stays plain text (M5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalSentence } from '../../src/replies/refusals.js';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { fieldOf } from '../support/tracking-e2e.js';
import { buttonIdWith, click, showFinishedTask } from './support-clicks.js';
import { startFormHarness } from './support-forms.js';
import { ENGLISH } from '../../src/i18n/index.js';

let h: Harness;
beforeAll(async () => {
  h = await startFormHarness(); // CLICK_POLICY=requester: only the task's member may click
});
afterAll(async () => {
  await h?.close();
});

const shownMessage = async (seed: Parameters<typeof showFinishedTask>[1], user?: string): Promise<StoredMessage> => {
  const shown = await showFinishedTask(h, seed, user);
  return h.discord.message(shown.channelId, shown.messageId)!;
};

describe('hostile task text on /mjtask', () => {
  it('shows a task whose prompt is 130,000 characters long, cut to fit (M3)', async () => {
    const message = await shownMessage({ prompt: 'a very long prompt '.repeat(7_000) });
    expect(message.content.length).toBeLessThanOrEqual(2000);
    // The prompt is said once, in the content line, cut there; the id line still follows it.
    expect(message.content).toMatch(/^\*\*(a very long prompt )+a?[^*]*…\*\* - <@\d+>\n-# Task \d+$/);
    expect(message.embeds.some((e) => 'description' in (e as object))).toBe(false);
  });

  it('an action that is a mention is not read as the owner: that member cannot spend on the task (M4)', async () => {
    const owner = h.discord.defaults.userId;
    const stranger = h.discord.addMember({ username: 'mentioned-by-the-api' }).id;
    const shown = await showFinishedTask(h, { prompt: '', action: `<@${stranger}>` }, owner);
    const message = h.discord.message(shown.channelId, shown.messageId)!;
    expect(message.content).toMatch(/\n-# Task \d+$/);
    expect(message.content.split('\n')[0]).toBe(`**\\<@${stranger}\\>** - <@${owner}>`);
    const since = h.mj.requests.length;
    const refused = await click(h, shown, buttonIdWith(h, shown, '::upsample::1::'), stranger);
    // Started outside the bot (no signed state): the member who showed it owns it, not the mention.
    expect(refused.text).toBe(refusalSentence(ENGLISH, { reason: 'not_shower', showerId: owner }));
    expect(h.mj.requests.slice(since).filter((r) => r.route === 'action')).toEqual([]);
  });

  it('a masked link and @everyone in failReason stay plain text (M5)', async () => {
    const failReason = '[Verify your account](https://evil.example/login) @everyone';
    const id = h.mj.createTask({ prompt: 'refused', status: 'FAILURE', failReason });
    // A failed task has no buttons, so its reply is awaited by its embed.
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id } });
    const message = await h.discord.waitFor(
      () => {
        const original = h.discord.interactionResponses(interaction.id).original;
        return original && original.embeds.length > 0 ? original : null;
      },
      5_000,
      'the /mjtask reply',
    );
    const reason = fieldOf(message, 'Reason') ?? '';
    expect(reason).toBe('\\[Verify your account\\](<https://evil.example/login)> \\@everyone');
    expect(message.mention_everyone).toBe(false);
  });
});
