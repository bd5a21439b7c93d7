// Discord's message-body rules (content, embeds, components) as violations in Discord's own codes
// (developers/resources/message.mdx "Embed Limits"). Self-contained: no dependency on other test files.
import {
  checkArrayLength,
  checkString,
  checkUrl,
  FLAG_IS_COMPONENTS_V2,
  isObject,
  Violations,
  type Path,
} from './validate-fields.js';
import { checkActionRow, componentsV2Violations } from './validate-components.js';
import type { Violation } from './http-errors.js';

export { modalViolations } from './validate-components.js';
export { isUnicodeEmoji } from './validate-fields.js';

const EMBED_TEXT_LIMITS: Array<[string, number]> = [
  ['title', 256],
  ['description', 4096],
];

function checkEmbed(v: Violations, path: Path, embed: unknown): number {
  if (!isObject(embed)) {
    v.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return 0;
  }
  let total = 0;
  for (const [key, max] of EMBED_TEXT_LIMITS) total += checkString(v, [...path, key], embed[key], { max });
  if (embed.url !== undefined && embed.url !== null) checkUrl(v, [...path, 'url'], embed.url, ['http', 'https']);
  if (embed.color !== undefined && embed.color !== null) {
    const color = embed.color;
    if (typeof color !== 'number' || !Number.isInteger(color))
      v.add([...path, 'color'], 'NUMBER_TYPE_COERCE', `Value "${String(color)}" is not int.`);
    else if (color < 0) v.add([...path, 'color'], 'NUMBER_TYPE_MIN', 'int value should be greater than or equal to 0.');
    else if (color > 0xffffff)
      v.add([...path, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
  }
  if (embed.timestamp !== undefined && embed.timestamp !== null) {
    if (typeof embed.timestamp !== 'string' || Number.isNaN(Date.parse(embed.timestamp))) {
      v.add(
        [...path, 'timestamp'],
        'DATE_TIME_TYPE_PARSE',
        `Could not parse ${String(embed.timestamp)}. Should be ISO8601.`,
      );
    }
  }
  if (embed.footer !== undefined && embed.footer !== null) {
    const footer = isObject(embed.footer) ? embed.footer : {};
    total += checkString(v, [...path, 'footer', 'text'], footer.text, { min: 1, max: 2048, required: true });
    if (footer.icon_url != null)
      checkUrl(v, [...path, 'footer', 'icon_url'], footer.icon_url, ['http', 'https', 'attachment']);
  }
  if (embed.author !== undefined && embed.author !== null) {
    const author = isObject(embed.author) ? embed.author : {};
    total += checkString(v, [...path, 'author', 'name'], author.name, { min: 1, max: 256, required: true });
    if (author.url != null) checkUrl(v, [...path, 'author', 'url'], author.url, ['http', 'https']);
    if (author.icon_url != null)
      checkUrl(v, [...path, 'author', 'icon_url'], author.icon_url, ['http', 'https', 'attachment']);
  }
  for (const key of ['image', 'thumbnail']) {
    const media = embed[key];
    if (media === undefined || media === null) continue;
    checkUrl(v, [...path, key, 'url'], isObject(media) ? media.url : undefined, ['http', 'https', 'attachment']);
  }
  if (embed.fields !== undefined && embed.fields !== null) {
    const fields = checkArrayLength(v, [...path, 'fields'], embed.fields, 0, 25);
    fields.forEach((field, i) => {
      const f = isObject(field) ? field : {};
      total += checkString(v, [...path, 'fields', i, 'name'], f.name, { min: 1, max: 256, required: true });
      total += checkString(v, [...path, 'fields', i, 'value'], f.value, { min: 1, max: 1024, required: true });
    });
  }
  return total;
}

function checkEmbeds(v: Violations, embeds: unknown): void {
  const list = checkArrayLength(v, ['embeds'], embeds, 0, 10);
  let total = 0;
  list.forEach((embed, i) => {
    total += checkEmbed(v, ['embeds', i], embed);
  });
  if (total > 6000) v.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

/**
 * Violations of a message create/edit body. `mode: 'edit'` validates only the fields present.
 * `flags` is the message's effective flags (an edit cannot drop IS_COMPONENTS_V2).
 */
export function messagePayloadViolations(payload: Record<string, unknown>, flags = 0): Violation[] {
  const v = new Violations();
  const effectiveFlags = flags | (typeof payload.flags === 'number' ? payload.flags : 0);
  if (payload.content != null) checkString(v, ['content'], payload.content, { max: 2000 });
  if (payload.embeds != null) checkEmbeds(v, payload.embeds);
  if (payload.components != null) {
    if (effectiveFlags & FLAG_IS_COMPONENTS_V2) {
      componentsV2Violations(v, payload);
    } else {
      const rows = checkArrayLength(v, ['components'], payload.components, 0, 5);
      const customIds = new Set<string>();
      rows.forEach((row, i) => checkActionRow(v, ['components', i], row, customIds));
    }
  }
  return v.list;
}

/**
 * APPLICATION_COMMAND_AUTOCOMPLETE_RESULT's data: `choices`, at most 25, each a name of 1–100 characters
 * and a value (a string of at most 100 characters, or a number) (interactions/receiving-and-responding
 * "Autocomplete", application-commands "Application Command Option Choice Structure").
 */
export function autocompleteChoiceViolations(data: unknown): Violation[] {
  const v = new Violations();
  if (!isObject(data)) {
    v.add([], 'BASE_TYPE_REQUIRED', 'This field is required');
    return v.list;
  }
  checkArrayLength(v, ['choices'], data.choices, 0, 25).forEach((choice, i) => {
    const path: Path = ['choices', i];
    if (!isObject(choice)) return v.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    checkString(v, [...path, 'name'], choice.name, { min: 1, max: 100, required: true });
    if (typeof choice.value === 'number') return;
    checkString(v, [...path, 'value'], choice.value, { min: 1, max: 100, required: true });
  });
  return v.list;
}
