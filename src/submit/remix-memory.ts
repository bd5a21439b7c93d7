// Whether the admin's Midjourney account runs in Remix mode. The API only tells after a paid submit
// (code 21 "Waiting for window confirm", or a new task in status MODAL), while Discord only lets a
// click open a form as its *first* response. So the bot remembers the last answer: once Remix showed,
// V/🔄/Pan/Vary clicks open the prompt form at once, as Midjourney's own bot does; once an action of
// those families starts a normal task again, clicks go back to submitting directly. In memory only:
// after a restart the first such click takes the two-step path and teaches it again.
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
