// Describe results on the stand-in: the four prompts of a DESCRIBE task and the line a 1️⃣–4️⃣ button picks.
const KEYCAPS = ['1\u{FE0F}\u{20E3}', '2\u{FE0F}\u{20E3}', '3\u{FE0F}\u{20E3}', '4\u{FE0F}\u{20E3}'];
export const KEYCAP_PREFIX = /^[0-9]\u{FE0F}?\u{20E3}\s*/u;

/** "1️⃣ …\n\n2️⃣ …" as Describe's finalPrompt holds it (plus docs/api.md §4), made from the task's prompt. */
export function describeText(prompt: string): string {
  const base = prompt.trim() === '' ? 'a picture' : prompt.trim();
  return KEYCAPS.map((k, i) => `${k} ${base}, take ${i + 1} --ar 1:1`).join('\n\n');
}

/** The n-th (1-based) line of a Describe finalPrompt, keycap included, or undefined. */
export function describeLine(finalPrompt: string, n: number): string | undefined {
  return finalPrompt
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')[n - 1];
}
