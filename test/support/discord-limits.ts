// A second, deliberately plain reading of Discord's rules for a message payload (content, legacy
// embeds, action rows of buttons), written without looking at src/render so it can catch renderer
// bugs. Each violation names the path and Discord's complaint, e.g.
// "components[0].components[2].custom_id: duplicate". Lengths are counted in UTF-16 units, the
// stricter of the two plausible readings of "characters".
//
// Sources: discord-api-docs developers/resources/message.mdx ("Embed Limits", Create Message) and
// developers/components/reference.mdx (Action Row, Button, Button Styles).

export interface MessagePayloadLike {
  content?: string;
  embeds?: any[];
  components?: any[];
}

const isString = (v: unknown): v is string => typeof v === 'string';

function checkLength(
  problems: string[],
  path: string,
  value: unknown,
  max: number,
  opts: { required?: boolean; min?: number } = {},
): void {
  if (value === undefined || value === null) {
    if (opts.required) problems.push(`${path}: BASE_TYPE_REQUIRED`);
    return;
  }
  if (!isString(value)) {
    problems.push(`${path}: STRING_TYPE_CONVERT (not a string)`);
    return;
  }
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value))
    problems.push(`${path}: UNICODE_INVALID (lone surrogate)`);
  if (value.length > max) problems.push(`${path}: BASE_TYPE_MAX_LENGTH (${value.length} > ${max})`);
  if (opts.min !== undefined && value.length < opts.min)
    problems.push(`${path}: BASE_TYPE_MIN_LENGTH (${value.length} < ${opts.min})`);
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}

// A unicode emoji, checked code point by code point: every code point must be an emoji building
// block, at least one must be an actual pictograph / regional indicator / keycap, and ASCII may only
// appear as the base of a keycap (so "upscale_1", ":x:", "ὐ4" all fail).
function isUnicodeEmojiName(name: string): boolean {
  if (name.length === 0 || name.length > 32) return false;
  const cps = Array.from(name);
  let pictographs = 0;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i] as string;
    const cp = ch.codePointAt(0) as number;
    if (/\p{Extended_Pictographic}/u.test(ch) || /\p{Regional_Indicator}/u.test(ch)) {
      pictographs++;
      continue;
    }
    if (cp === 0x20e3) {
      pictographs++;
      continue;
    }
    if (/[0-9#*]/.test(ch)) {
      const next = cps[i + 1];
      const afterNext = cps[i + 2];
      if (i === 0 && (next === '\u20e3' || (next === '\ufe0f' && afterNext === '\u20e3'))) continue;
      return false;
    }
    if (cp === 0x200d || cp === 0xfe0f || cp === 0xfe0e) continue;
    if (cp >= 0x1f3fb && cp <= 0x1f3ff) continue; // skin tones
    if (cp >= 0xe0020 && cp <= 0xe007f) continue; // tag characters (subdivision flags)
    return false;
  }
  return pictographs > 0;
}

function checkEmoji(problems: string[], path: string, emoji: unknown): void {
  if (emoji === undefined) return;
  if (emoji === null || typeof emoji !== 'object') {
    problems.push(`${path}: BUTTON_COMPONENT_INVALID_EMOJI (not an object)`);
    return;
  }
  const e = emoji as { id?: unknown; name?: unknown };
  if (e.id !== undefined && e.id !== null) {
    if (!isString(e.id) || !/^\d{15,25}$/.test(e.id))
      problems.push(`${path}.id: BUTTON_COMPONENT_INVALID_EMOJI (not a snowflake)`);
    return;
  }
  if (!isString(e.name) || !isUnicodeEmojiName(e.name)) {
    problems.push(`${path}.name: BUTTON_COMPONENT_INVALID_EMOJI (${JSON.stringify(e.name)} is not a unicode emoji)`);
  }
}

function checkButton(problems: string[], path: string, button: any, customIds: Set<string>): void {
  if (button?.type !== 2) {
    problems.push(
      `${path}.type: COMPONENT_TYPE_INVALID (only buttons are expected, got ${JSON.stringify(button?.type)})`,
    );
    return;
  }
  const style = button.style;
  if (!Number.isInteger(style) || style < 1 || style > 6) {
    problems.push(`${path}.style: BUTTON_COMPONENT_INVALID_STYLE (${JSON.stringify(style)})`);
    return;
  }
  if (style === 6) {
    problems.push(`${path}.style: premium buttons (6) are not supported by this bot`);
    return;
  }
  if (style === 5) {
    if (button.custom_id !== undefined)
      problems.push(`${path}.custom_id: BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED (link button)`);
    if (!isString(button.url)) problems.push(`${path}.url: BUTTON_COMPONENT_URL_REQUIRED`);
    else {
      checkLength(problems, `${path}.url`, button.url, 512);
      if (!isHttpUrl(button.url))
        problems.push(`${path}.url: URL_TYPE_INVALID_URL (${JSON.stringify(button.url.slice(0, 40))})`);
    }
  } else {
    if (button.url !== undefined) problems.push(`${path}.url: BUTTON_COMPONENT_URL_NOT_ALLOWED`);
    if (!isString(button.custom_id)) problems.push(`${path}.custom_id: COMPONENT_CUSTOM_ID_REQUIRED`);
    else {
      checkLength(problems, `${path}.custom_id`, button.custom_id, 100, { min: 1 });
      if (customIds.has(button.custom_id))
        problems.push(`${path}.custom_id: duplicate (COMPONENT_CUSTOM_ID_DUPLICATED)`);
      customIds.add(button.custom_id);
    }
  }
  checkLength(problems, `${path}.label`, button.label, 80);
  checkEmoji(problems, `${path}.emoji`, button.emoji);
  const hasLabel = isString(button.label) && button.label.trim().length > 0;
  if (!hasLabel && button.emoji === undefined) problems.push(`${path}: BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED`);
  if (button.disabled !== undefined && typeof button.disabled !== 'boolean')
    problems.push(`${path}.disabled: BASE_TYPE_BAD_BOOLEAN`);
}

function checkComponents(problems: string[], components: any[] | undefined): void {
  if (components === undefined) return;
  if (!Array.isArray(components)) {
    problems.push('components: BASE_TYPE_BAD_ARRAY');
    return;
  }
  if (components.length > 5) problems.push(`components: BASE_TYPE_MAX_LENGTH (${components.length} action rows > 5)`);
  const customIds = new Set<string>();
  components.forEach((row, r) => {
    const path = `components[${r}]`;
    if (row?.type !== 1) {
      problems.push(`${path}.type: COMPONENT_LAYOUT_INVALID (top-level component must be an action row)`);
      return;
    }
    const children = row.components;
    if (!Array.isArray(children) || children.length === 0) {
      problems.push(`${path}.components: BASE_TYPE_MIN_LENGTH (an action row needs 1 to 5 components)`);
      return;
    }
    if (children.length > 5) problems.push(`${path}.components: BASE_TYPE_MAX_LENGTH (${children.length} > 5)`);
    children.forEach((button: any, b: number) => checkButton(problems, `${path}.components[${b}]`, button, customIds));
  });
}

function checkEmbeds(problems: string[], embeds: any[] | undefined): void {
  if (embeds === undefined) return;
  if (!Array.isArray(embeds)) {
    problems.push('embeds: BASE_TYPE_BAD_ARRAY');
    return;
  }
  if (embeds.length > 10) problems.push(`embeds: BASE_TYPE_MAX_LENGTH (${embeds.length} > 10)`);
  let total = 0;
  const count = (v: unknown): void => {
    if (isString(v)) total += v.length;
  };
  embeds.forEach((embed, e) => {
    const path = `embeds[${e}]`;
    checkLength(problems, `${path}.title`, embed?.title, 256);
    checkLength(problems, `${path}.description`, embed?.description, 4096);
    checkLength(problems, `${path}.footer.text`, embed?.footer?.text, 2048, { required: embed?.footer !== undefined });
    checkLength(problems, `${path}.author.name`, embed?.author?.name, 256, { required: embed?.author !== undefined });
    count(embed?.title);
    count(embed?.description);
    count(embed?.footer?.text);
    count(embed?.author?.name);
    const fields = embed?.fields;
    if (fields !== undefined) {
      if (!Array.isArray(fields)) problems.push(`${path}.fields: BASE_TYPE_BAD_ARRAY`);
      else {
        if (fields.length > 25) problems.push(`${path}.fields: BASE_TYPE_MAX_LENGTH (${fields.length} > 25)`);
        fields.forEach((field: any, f: number) => {
          checkLength(problems, `${path}.fields[${f}].name`, field?.name, 256, { required: true, min: 1 });
          checkLength(problems, `${path}.fields[${f}].value`, field?.value, 1024, { required: true, min: 1 });
          count(field?.name);
          count(field?.value);
        });
      }
    }
    if (embed?.color !== undefined && !(Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff)) {
      problems.push(`${path}.color: NUMBER_TYPE_MAX (${embed.color})`);
    }
    for (const key of ['image', 'thumbnail'] as const) {
      const url = embed?.[key]?.url;
      if (embed?.[key] === undefined) continue;
      if (!isString(url) || !(isHttpUrl(url) || /^attachment:\/\/[^\s/]+$/.test(url))) {
        problems.push(`${path}.${key}.url: URL_TYPE_INVALID_URL (${JSON.stringify(String(url).slice(0, 40))})`);
      }
    }
    const hasSomething = ['title', 'description', 'fields', 'image', 'thumbnail', 'footer', 'author'].some(
      (k) => embed?.[k] !== undefined,
    );
    if (!hasSomething) problems.push(`${path}: embed is empty`);
  });
  if (total > 6000) problems.push(`embeds: MAX_EMBED_SIZE_EXCEEDED (${total} > 6000)`);
}

/** Every way `payload` breaks Discord's rules; [] when Discord would accept it. */
export function validateMessagePayload(payload: MessagePayloadLike): string[] {
  const problems: string[] = [];
  checkLength(problems, 'content', payload.content, 2000);
  checkEmbeds(problems, payload.embeds);
  checkComponents(problems, payload.components);
  const empty =
    (payload.content === undefined || payload.content === '') &&
    (payload.embeds === undefined || payload.embeds.length === 0) &&
    (payload.components === undefined || payload.components.length === 0);
  if (empty) problems.push('message: MESSAGE_EMPTY (no content, embeds or components)');
  return problems;
}
