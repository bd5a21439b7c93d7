// Pure prompt text for the pop-up forms: prefilled for Custom Zoom, checked before anything is paid
// for. (Reading the prompt back from a task message is render/task-message-codec.ts.)
import { TEXT_INPUT_VALUE_MAX, cutAt } from '../render/limits.js';

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
