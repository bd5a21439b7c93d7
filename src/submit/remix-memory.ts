// Whether the admin's Midjourney account runs in Remix mode. The API only tells after a paid submit
// (code 21 "Waiting for window confirm", or a new task in status MODAL), while Discord only lets a
// click open a form as its *first* response. So the bot remembers the last answer: once Remix showed,
// V/🔄/Pan/Vary clicks open the prompt form at once, as Midjourney's own bot does; once an action of
// those families starts a normal task again, clicks go back to submitting directly. In memory only:
// after a restart the first such click takes the two-step path and teaches it again.
import type { MjButtonKind } from '../mj/custom-id.js';
import type { SubmitOutcome } from './classify-submit.js';

export interface RemixMemory {
  /** True when the last remix-capable action the API answered asked for a prompt. */
  isOn(): boolean;
  /** What the last answer of a remix-capable action showed. */
  learn(on: boolean): void;
}

export function createRemixMemory(): RemixMemory {
  let on = false;
  return {
    isOn: () => on,
    learn(value) {
      on = value;
    },
  };
}

/**
 * What a remix-capable action's answers show of Remix mode: true (the API asked for a prompt), false
 * (it started a normal task), or null (nothing certain). `action` is the action's outcome; `confirmed`
 * says whether that outcome is certain (its new task was fetched, or the API queued it: code 22).
 * `prompt` is the outcome of the prompt sent right after the action (Custom Zoom opened from the image).
 */
export function remixModeShownBy(answers: {
  action: SubmitOutcome;
  confirmed: boolean;
  prompt?: SubmitOutcome;
}): boolean | null {
  const { action, prompt } = answers;
  if (prompt === undefined) {
    if (action.kind === 'needs_modal') return true;
    return action.kind === 'accepted' && answers.confirmed ? false : null;
  }
  if (action.kind === 'accepted' && prompt.kind === 'rejected' && prompt.reason === 'already_submitted') return false;
  return action.kind === 'needs_modal' || prompt.kind !== 'rejected' ? true : null;
}

/** Learns from a remix-capable action's answers; other actions say nothing about Remix mode. */
export function observeRemix(remix: RemixMemory, button: MjButtonKind, shown: boolean | null): void {
  if (button.modal === 'remix' && shown !== null) remix.learn(shown);
}
