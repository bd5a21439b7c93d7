// The private answer of a Shorten's "Show details": what Midjourney found important in the prompt and
// what it would drop, from the analysis the server gave (src/mj/text-results.ts). Pure. Tokens are API
// text: redacted, then shown as plain text.
import type { APIEmbed } from 'discord-api-types/v10';
import type { Translate } from '../i18n/index.js';
import type { PromptAnalysis } from '../mj/text-results.js';
import { EMBED_DESCRIPTION_MAX } from '../render/limits.js';
import { escapeAndFit } from '../render/task-message-codec.js';

const ANALYSIS_COLOR = 0x5865f2;

export function shortenDetailsReply(
  t: Translate,
  taskId: string,
  analysis: PromptAnalysis | null,
  redact: (text: string) => string,
): { content: string; embeds?: APIEmbed[] } {
  if (analysis === null) return { content: t('shorten.no_details') };
  const plain = (tokens: readonly string[]) => tokens.map((token) => escapeAndFit(redact(token), 200)).join(', ');
  const lines: string[] = [];
  if (analysis.important.length > 0) lines.push(t('shorten.important', { tokens: plain(analysis.important) }));
  if (analysis.dropped.length > 0) lines.push(t('shorten.dropped', { tokens: plain(analysis.dropped) }));
  for (const line of analysis.more) lines.push(escapeAndFit(redact(line), 300));
  const embed: APIEmbed = { color: ANALYSIS_COLOR, description: lines.join('\n').slice(0, EMBED_DESCRIPTION_MAX) };
  return { content: t('shorten.details_title', { taskId: escapeAndFit(taskId, 64) }), embeds: [embed] };
}
