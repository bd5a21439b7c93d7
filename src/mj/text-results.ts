// Pure: what the text results hold. A Describe answers four prompts, a Shorten up to five shorter ones
// after its analysis of the prompt ("## Important tokens …\n## Shortened prompts\n1️⃣ …\n\n2️⃣ …":
// midjourney-proxy-plus docs/api.md §5; trueai-org/midjourney-proxy src/Midjourney.Services/
// DiscordWebSocketService.cs L2705-2714 keeps that text as description and finalPrompt). The renderer
// shows the prompts, the click flow imagines one of them, and "Show details" answers the analysis.
import type { MjButtonKind } from './custom-id.js';
import type { MjTask } from './schema.js';

type TextTask = Pick<MjTask, 'properties' | 'description' | 'promptEn'>;

const KEYCAP_LINE = /^\s*([0-9])\uFE0F?\u20E3\s*(.+)$/u;
const SHORTENED_HEADING = /^#{1,3}\s*Shortened prompts\s*$/im;
const TOKENS_HEADING = /^#{1,3}\s*Important tokens\s*$/im;

/**
 * A prompt without the keycap of a Describe line: the fork's PicReader::n task holds the chosen line
 * with its "1️⃣ " still in front (trueai-org/midjourney-proxy src/Midjourney.Services/TaskService.cs
 * L1894, arr[n-1].Trim()), which Midjourney would read as part of the prompt.
 */
export function withoutKeycap(prompt: string): string {
  return prompt.replace(/^\s*[0-9#*]\uFE0F?\u20E3\s*/u, '');
}

/** finalPrompt, description and promptEn, in that order: where each server puts the answer. */
function answerTexts(task: TextTask): string[] {
  const finalPrompt = task.properties['finalPrompt'];
  return [typeof finalPrompt === 'string' ? finalPrompt : '', task.description, task.promptEn];
}

/**
 * The numbered prompts of a Describe or Shorten result, by number: "1️⃣ …" lines of finalPrompt (the
 * fork's Describe: DiscordWebSocketService.cs L2632-2647), else of description (its Shorten), else of
 * promptEn.
 */
export function numberedPrompts(task: TextTask): Map<number, string> {
  for (const text of answerTexts(task)) {
    const found = new Map<number, string>();
    for (const line of text.split(/\r?\n/)) {
      const m = KEYCAP_LINE.exec(line);
      if (m?.[1] && m[2] && !found.has(Number(m[1]))) found.set(Number(m[1]), withoutKeycap(m[2]).trim());
    }
    if (found.size > 0) return found;
  }
  return new Map();
}

/** The prompts a button stands for: its line, or every line for 🎉 Imagine all. */
export function promptsFor(button: MjButtonKind, task: TextTask): string[] {
  const prompts = numberedPrompts(task);
  if (button.index === undefined) return [...prompts.values()];
  const one = prompts.get(button.index);
  return one === undefined ? [] : [one];
}

/** Actions whose result is text (prompts), shown in the embed rather than as a picture's line. */
export function isTextResult(task: Pick<MjTask, 'action'>): boolean {
  const action = task.action.trim().toUpperCase();
  return action === 'DESCRIBE' || action === 'SHORTEN';
}

export function isShorten(task: Pick<MjTask, 'action'>): boolean {
  return task.action.trim().toUpperCase() === 'SHORTEN';
}

/** A Shorten's analysis as plain data: the prompt's tokens, which Midjourney found important, which it would drop. */
export interface PromptAnalysis {
  /** Tokens Midjourney marked important (**bold**), in order. */
  important: string[];
  /** Tokens it struck out (~~struck~~): they change little. */
  dropped: string[];
  /** The analysis lines beyond the tokens line (plus's Show Details weight bars), as given. */
  more: string[];
}

/**
 * The "## Important tokens" section of a finished Shorten, or null when the server gave none (then
 * there is nothing to show under "Show details"). Bold tokens are important, struck ones droppable.
 */
export function shortenAnalysis(task: TextTask): PromptAnalysis | null {
  for (const text of answerTexts(task)) {
    const start = TOKENS_HEADING.exec(text);
    if (!start) continue;
    const rest = text.slice(start.index + start[0].length);
    const end = SHORTENED_HEADING.exec(rest);
    const lines = (end ? rest.slice(0, end.index) : rest)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const [tokens = '', ...more] = lines;
    const marked = (pattern: RegExp) => [...tokens.matchAll(pattern)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
    const important = marked(/\*\*([^*\n]{1,200})\*\*/g);
    const dropped = marked(/~~([^~\n]{1,200})~~/g);
    if (important.length === 0 && dropped.length === 0 && more.length === 0) return null;
    return { important, dropped, more };
  }
  return null;
}

/** A Shorten's prompts alone, one per line with their keycaps, for the result's embed. */
export function shortenedPromptLines(task: TextTask): string[] {
  return [...numberedPrompts(task).entries()].map(([n, prompt]) => `${n}\uFE0F\u20E3 ${prompt}`);
}
