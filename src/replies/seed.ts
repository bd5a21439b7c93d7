// The sentences of the Seed button (a free look-up: nothing is ever submitted or charged). Pure.
// API descriptions are quoted on one line, cut short and without backticks.
import { oneLine, truncate } from '../render/limits.js';

function quoteApi(description: string): string {
  const text = truncate(oneLine(description).replace(/`/g, "'"), 300);
  return text === '' ? '' : ` (the API said: \`${text}\`)`;
}

export function seedSentence(taskId: string, seed: string): string {
  return `🌱 The seed of task \`${taskId}\` is **${seed}**. Add \`--seed ${seed}\` to a prompt to start from the same noise.`;
}

export function seedNotOfferedSentence(): string {
  return '🚫 This Midjourney server cannot tell seeds (it has no image-seed).';
}

/** The server answered without a seed: code 3 (no such task), code 4 (not finished, or no message to react to), other. */
export function seedUnavailableSentence(code: number, description: string): string {
  const api = quoteApi(description);
  if (code === 3) return `🔍 The Midjourney API no longer knows this task${api}, so it cannot tell its seed.`;
  return `⚠️ The Midjourney API could not tell this task's seed${api}. Try again in a minute.`;
}
