// The sentences of the Seed button (a free look-up: nothing is ever submitted or charged). Pure;
// worded by `t` (src/i18n). API descriptions are quoted on one line, cut short and without backticks.
import type { Translate } from '../i18n/index.js';
import { oneLine, truncate } from '../render/limits.js';

function quoteApi(t: Translate, description: string): string {
  const text = truncate(oneLine(description).replace(/`/g, "'"), 300);
  return text === '' ? '' : t('mj.api_said', { text });
}

export function seedSentence(t: Translate, taskId: string, seed: string): string {
  return t('seed.found', { taskId, seed });
}

export function seedNotOfferedSentence(t: Translate): string {
  return t('seed.not_offered');
}

/** The server answered without a seed: code 3 (no such task), code 4 (not finished, or no message to react to), other. */
export function seedUnavailableSentence(t: Translate, code: number, description: string): string {
  const api = quoteApi(t, description);
  return code === 3 ? t('seed.task_unknown', { api }) : t('seed.unavailable', { api });
}
