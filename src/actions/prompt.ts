// Pure prompt text for the pop-up forms: read back from a task message, prefilled for Custom Zoom,
// checked before anything is paid for.
import { TEXT_INPUT_VALUE_MAX, cutAt } from '../render/limits.js';

/**
 * The prompt as the member typed it, from an embed description written by render/task-message.ts
 * (escapeAndFit: markdown characters escaped with '\', URLs wrapped in <>). One pass undoes both, so
 * an escaped '\<' is never mistaken for the start of a wrapped URL.
 */
export function unescapeEmbedPrompt(description: string): string {
  return description.replace(
    /\\([\\*_~`|<>#[\]@])|<(https?:\/\/[^\s<>]+)>/g,
    (_all, escaped: string | undefined, url: string | undefined) => escaped ?? url ?? '',
  );
}

/** The prompt shown by a task message (its first embed's description), or '' when there is none. */
export function promptFromMessage(
  message: { embeds?: ReadonlyArray<{ description?: string | null } | null> | null } | null,
): string {
  const description = message?.embeds?.[0]?.description;
  return typeof description === 'string' ? unescapeEmbedPrompt(description).trim() : '';
}

const ZOOM_PARAM = /(^|\s)--zoom(?:\s+([^\s-][^\s]*))?(?=\s|$)/gi;
const ASPECT_PARAM = /(^|\s)--(?:ar|aspect)\s+\S+/i;

/** Value of the last `--zoom` in the prompt, NaN when it is not a number, null when absent. */
export function zoomValueOf(prompt: string): number | null {
  let value: number | null = null;
  for (const m of prompt.matchAll(ZOOM_PARAM))
    value = m[2] !== undefined && /^\d+(\.\d+)?$/.test(m[2]) ? Number(m[2]) : NaN;
  return value;
}

/** Custom Zoom accepts `--zoom` from 1 to 2 (PLUS docs). */
export function isValidCustomZoomPrompt(prompt: string): boolean {
  const zoom = zoomValueOf(prompt);
  return zoom !== null && zoom >= 1 && zoom <= 2;
}

export const DEFAULT_CUSTOM_ZOOM = '2';

/**
 * The Custom Zoom pop-up's starting text, like Midjourney's: the prompt without its old `--zoom`,
 * keeping `--ar` (adding `--ar 1:1`, Midjourney's default, when absent, because the API requires
 * one), then ` --zoom 2`. The prompt is cut, never the parameters, to stay within 4000 characters.
 */
export function customZoomPrefill(prompt: string): string {
  const zoom = ` --zoom ${DEFAULT_CUSTOM_ZOOM}`;
  const defaultAspect = ' --ar 1:1';
  const base = cutAt(
    prompt.replace(ZOOM_PARAM, '$1').replace(/\s+/g, ' ').trim(),
    TEXT_INPUT_VALUE_MAX - defaultAspect.length - zoom.length,
  ).trimEnd();
  return (base + (ASPECT_PARAM.test(base) ? '' : defaultAspect) + zoom).trim();
}

/** A prompt fitted to a text input's value limit. */
export function fitTextInput(prompt: string): string {
  return cutAt(prompt, TEXT_INPUT_VALUE_MAX);
}
