// Helpers for the e2e files about pop-up forms (Custom Zoom, Remix, Edit prompt): clicking a button
// that answers with a form, filling it in, and what the bot then sent to the API's modal route.
import { expect } from 'vitest';
import type { Harness } from '../support/harness.js';
import type { MjStandInOptions } from '../support/mj/index.js';
import { startTrackingHarness } from '../support/tracking-e2e.js';
import { answerOf, customIdsOn, expectAckInTime, type ClickAnswer, type Shown } from './support-clicks.js';

/** The "Edit prompt & submit" reply: the button to press on the member's own ephemeral message. */
export function editPromptButton(answer: ClickAnswer): {
  where: { channelId: string; messageId: string };
  customId: string;
} {
  const reply = answer.view.original!;
  const [customId] = customIdsOn(reply);
  expect(customId).toMatch(/^mjedit:p:\d+$/);
  return { where: { channelId: reply.channel_id, messageId: reply.id }, customId: customId! };
}

/** A harness for the pop-up form files: guards off but CLICK_POLICY=requester (only the task's member may click). */
export const startFormHarness = (mj: MjStandInOptions = {}, env: Record<string, string> = {}): Promise<Harness> =>
  startTrackingHarness({ mj, env: { CLICK_POLICY: 'requester', ...env } });

/** Clicks a button that must answer with a pop-up form first; returns the form. */
export async function clickForModal(
  h: Harness,
  shown: Pick<Shown, 'channelId' | 'messageId'>,
  customId: string,
  user?: string,
) {
  const interaction = h.discord.clickButton({
    channelId: shown.channelId,
    messageId: shown.messageId,
    customId,
    ...(user ? { user } : {}),
  });
  const view = await expectAckInTime(h, interaction.id);
  expect(view.callbackType, 'the form is the first response (no defer)').toBe(9);
  const modal = view.modal as {
    custom_id: string;
    title: string;
    components: Array<{ type: number; description?: string; component?: { custom_id: string; value?: string } }>;
  };
  const field = modal.components.find((c) => c.component !== undefined);
  const input = field?.component;
  return {
    interactionId: interaction.id,
    customId: modal.custom_id,
    title: modal.title,
    hint: field?.description ?? '',
    prefill: input?.value ?? '',
    inputId: input?.custom_id ?? '',
  };
}

/** Submits the form the bot showed and waits for the final private answer. */
export async function submitForm(
  h: Harness,
  form: { customId: string; interactionId: string; inputId: string },
  prompt: string,
  user?: string,
): Promise<ClickAnswer> {
  const interaction = h.discord.submitModal({
    customId: form.customId,
    fromInteractionId: form.interactionId,
    fields: { [form.inputId]: prompt },
    ...(user ? { user } : {}),
  });
  return answerOf(h, interaction.id);
}

export function modalBodies(h: Harness, since = 0): Array<Record<string, unknown>> {
  return h.mj.requests
    .slice(since)
    .filter((r) => r.route === 'modal')
    .map((r) => r.body as Record<string, unknown>);
}
