// A Shorten's answer as the servers hold it (midjourney-proxy-plus docs/api.md §5; trueai-org/midjourney-proxy
// DiscordWebSocketService.cs L2705-2714): "## Important tokens\n…\n## Shortened prompts\n1️⃣ …\n\n…5️⃣ …".
const KEYCAP = (n: number) => `${n}\u{FE0F}\u{20E3}`;

/**
 * The analysis and the shortened prompts of `prompt` (ASSUMPTION: the stand-in marks every other comma
 * part important and the rest droppable; prompt n keeps the first 6 − n parts, at least one).
 */
export function shortenText(prompt: string): string {
  const parts = prompt
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const marked = parts.map((p, i) => (i % 2 === 0 ? `**${p}**` : `~~${p}~~`)).join(', ');
  const shortened = [1, 2, 3, 4, 5].map(
    (n) => `${KEYCAP(n)} ${parts.slice(0, Math.max(1, parts.length - n + 1)).join(', ')}`,
  );
  return `## Important tokens\n${marked}\n## Shortened prompts\n${shortened.join('\n\n')}`;
}
