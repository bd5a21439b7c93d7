// Message components (legacy action rows, Components V2 layouts) and modals. Limits:
// developers/components/reference.mdx; modal rules: developers/interactions/receiving-and-responding.mdx.
import {
  checkArrayLength,
  checkCustomId,
  checkEmoji,
  checkString,
  checkUrl,
  isObject,
  Violations,
  type Path,
} from './validate-fields.js';
import { isSnowflake } from './snowflake.js';
import type { Violation } from './http-errors.js';

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

export function checkButton(v: Violations, path: Path, button: Record<string, unknown>, customIds: Set<string>): void {
  const style = button.style;
  if (typeof style !== 'number' || !Number.isInteger(style) || style < 1 || style > 6) {
    v.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
    return;
  }
  checkString(v, [...path, 'label'], button.label, { max: 80 });
  if (button.emoji !== undefined && button.emoji !== null) checkEmoji(v, [...path, 'emoji'], button.emoji);
  if (style === 6) {
    if (!isSnowflake(button.sku_id)) v.add([...path, 'sku_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    for (const key of ['custom_id', 'url', 'label', 'emoji']) {
      if (button[key] != null)
        v.add([...path, key], 'BUTTON_COMPONENT_PREMIUM_FIELD_NOT_ALLOWED', 'Premium buttons cannot have this field');
    }
    return;
  }
  if (button.label == null && button.emoji == null) {
    v.add([...path, 'label'], 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', 'A label or an emoji is required');
  }
  if (button.custom_id != null && button.url != null) {
    const message = 'A custom id and url cannot both be specified';
    v.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_URL_MUTUALLY_EXCLUSIVE', message);
    return;
  }
  if (style === 5) {
    checkUrl(v, [...path, 'url'], button.url, ['http', 'https', 'discord'], 512);
    return;
  }
  if (button.custom_id == null) {
    v.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', 'A custom id is required');
    return;
  }
  checkCustomId(v, [...path, 'custom_id'], button.custom_id, customIds);
}

function checkSelect(v: Violations, path: Path, select: Record<string, unknown>, customIds: Set<string>): void {
  checkCustomId(v, [...path, 'custom_id'], select.custom_id, customIds);
  checkString(v, [...path, 'placeholder'], select.placeholder, { max: 150 });
  for (const key of ['min_values', 'max_values']) {
    const n = select[key];
    if (n !== undefined && (typeof n !== 'number' || n < (key === 'min_values' ? 0 : 1) || n > 25)) {
      v.add([...path, key], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 25.');
    }
  }
  if (select.type !== 3) return;
  const options = checkArrayLength(v, [...path, 'options'], select.options, 1, 25);
  const values = new Set<string>();
  options.forEach((option, i) => {
    const o = isObject(option) ? option : {};
    checkString(v, [...path, 'options', i, 'label'], o.label, { min: 1, max: 100, required: true });
    checkString(v, [...path, 'options', i, 'value'], o.value, { min: 1, max: 100, required: true });
    checkString(v, [...path, 'options', i, 'description'], o.description, { max: 100 });
    if (o.emoji != null) checkEmoji(v, [...path, 'options', i, 'emoji'], o.emoji);
    if (typeof o.value === 'string' && values.has(o.value)) {
      v.add(
        [...path, 'options', i, 'value'],
        'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED',
        'Select option value is duplicated',
      );
    }
    if (typeof o.value === 'string') values.add(o.value);
  });
}

/** An action row inside a message (legacy or inside a V2 container). */
export function checkActionRow(v: Violations, path: Path, row: unknown, customIds: Set<string>): number {
  if (!isObject(row) || row.type !== 1) {
    v.add([...path, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    return 1;
  }
  const children = checkArrayLength(v, [...path, 'components'], row.components, 1, 5);
  const hasSelect = children.some((c) => isObject(c) && SELECT_TYPES.has(c.type as number));
  children.forEach((child, j) => {
    const childPath = [...path, 'components', j];
    if (!isObject(child)) {
      v.add(childPath, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    } else if (hasSelect && children.length > 1 && j > 0) {
      v.add(childPath, 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    } else if (child.type === 2) {
      checkButton(v, childPath, child, customIds);
    } else if (SELECT_TYPES.has(child.type as number)) {
      checkSelect(v, childPath, child, customIds);
    } else {
      v.add([...childPath, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).');
    }
  });
  return 1 + children.length;
}

const MEDIA_SCHEMES = ['http', 'https', 'attachment'];
const CONTAINER_CHILDREN = new Set([1, 9, 10, 12, 13, 14]);
const TOP_LEVEL_V2 = new Set([1, 9, 10, 12, 13, 14, 17]);

interface V2Counter {
  components: number;
  text: number;
}

function checkV2Component(
  v: Violations,
  path: Path,
  component: unknown,
  allowed: Set<number>,
  ids: Set<string>,
  count: V2Counter,
): void {
  if (!isObject(component) || !allowed.has(component.type as number)) {
    v.add(
      [...path, 'type'],
      'UNION_TYPE_CHOICES',
      `Value of field "type" must be one of (${[...allowed].join(', ')}).`,
    );
    return;
  }
  count.components += 1;
  switch (component.type) {
    case 1:
      count.components += checkActionRow(v, path, component, ids) - 1;
      return;
    case 10:
      count.text += checkString(v, [...path, 'content'], component.content, { min: 1, max: 4000, required: true });
      return;
    case 9: {
      const texts = checkArrayLength(v, [...path, 'components'], component.components, 1, 3);
      texts.forEach((child, i) => checkV2Component(v, [...path, 'components', i], child, new Set([10]), ids, count));
      const accessory = component.accessory;
      count.components += 1;
      if (isObject(accessory) && accessory.type === 2) checkButton(v, [...path, 'accessory'], accessory, ids);
      else if (isObject(accessory) && accessory.type === 11) checkMedia(v, [...path, 'accessory'], accessory);
      else v.add([...path, 'accessory'], 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    case 12: {
      const items = checkArrayLength(v, [...path, 'items'], component.items, 1, 10);
      items.forEach((item, i) => checkMedia(v, [...path, 'items', i], item));
      return;
    }
    case 13: {
      const file = isObject(component.file) ? component.file : {};
      checkUrl(v, [...path, 'file', 'url'], file.url, ['attachment']);
      return;
    }
    case 14:
      if (component.spacing !== undefined && component.spacing !== 1 && component.spacing !== 2) {
        v.add([...path, 'spacing'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2}.');
      }
      return;
    case 17: {
      const children = checkArrayLength(v, [...path, 'components'], component.components, 1, 40);
      children.forEach((child, i) =>
        checkV2Component(v, [...path, 'components', i], child, CONTAINER_CHILDREN, ids, count),
      );
      const accent = component.accent_color;
      if (accent != null && (typeof accent !== 'number' || accent < 0 || accent > 0xffffff)) {
        v.add([...path, 'accent_color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
      }
      return;
    }
    default:
      return;
  }
}

function checkMedia(v: Violations, path: Path, item: unknown): void {
  const media = isObject(item) && isObject(item.media) ? item.media : {};
  checkUrl(v, [...path, 'media', 'url'], media.url, MEDIA_SCHEMES);
  if (isObject(item)) checkString(v, [...path, 'description'], item.description, { max: 1024 });
}

export function componentsV2Violations(v: Violations, payload: Record<string, unknown>): void {
  for (const legacy of ['content', 'embeds', 'poll', 'stickers']) {
    const value = payload[legacy];
    const present = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== '';
    if (present) {
      v.add(
        [legacy],
        'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
        `The '${legacy}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2`,
      );
    }
  }
  const top = checkArrayLength(v, ['components'], payload.components, 1, 40);
  const count: V2Counter = { components: 0, text: 0 };
  const ids = new Set<string>();
  top.forEach((component, i) => checkV2Component(v, ['components', i], component, TOP_LEVEL_V2, ids, count));
  if (count.components > 40)
    v.add(['components'], 'COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED', 'Must be 40 or fewer in total.');
  if (count.text > 4000)
    v.add(
      ['components'],
      'COMPONENT_MAX_TOTAL_TEXT_EXCEEDED',
      'Total text display content must be 4000 or fewer in length.',
    );
}

function checkTextInput(v: Violations, path: Path, input: unknown, ids: Set<string>, wrappedInLabel: boolean): void {
  if (!isObject(input) || input.type !== 4) {
    v.add([...path, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (4,).');
    return;
  }
  checkCustomId(v, [...path, 'custom_id'], input.custom_id, ids);
  if (input.style !== 1 && input.style !== 2)
    v.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2}.');
  if (wrappedInLabel) {
    if (input.label != null)
      v.add([...path, 'label'], 'TEXT_INPUT_LABEL_NOT_ALLOWED', 'Text inputs inside a label cannot have a label');
  } else {
    checkString(v, [...path, 'label'], input.label, { min: 1, max: 45, required: true });
  }
  checkString(v, [...path, 'placeholder'], input.placeholder, { max: 100 });
  checkString(v, [...path, 'value'], input.value, { max: 4000 });
  for (const [key, min] of [
    ['min_length', 0],
    ['max_length', 1],
  ] as const) {
    const n = input[key];
    if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > 4000)) {
      v.add([...path, key], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 4000.');
    }
  }
}

/** Violations of the `data` of a MODAL (type 9) interaction response. */
export function modalViolations(data: unknown): Violation[] {
  const v = new Violations();
  if (!isObject(data)) {
    v.add([], 'BASE_TYPE_REQUIRED', 'This field is required');
    return v.list;
  }
  checkCustomId(v, ['custom_id'], data.custom_id, new Set());
  checkString(v, ['title'], data.title, { min: 1, max: 45, required: true });
  const components = checkArrayLength(v, ['components'], data.components, 1, 5);
  const ids = new Set<string>();
  components.forEach((component, i) => {
    const path: Path = ['components', i];
    if (isObject(component) && component.type === 1) {
      const children = checkArrayLength(v, [...path, 'components'], component.components, 1, 1);
      children.forEach((child, j) => checkTextInput(v, [...path, 'components', j], child, ids, false));
    } else if (isObject(component) && component.type === 18) {
      checkString(v, [...path, 'label'], component.label, { min: 1, max: 45, required: true });
      checkString(v, [...path, 'description'], component.description, { max: 100 });
      const inner = component.component;
      if (isObject(inner) && inner.type === 4) checkTextInput(v, [...path, 'component'], inner, ids, true);
      else if (isObject(inner) && [3, 5, 6, 7, 8, 19].includes(inner.type as number))
        checkCustomId(v, [...path, 'component', 'custom_id'], inner.custom_id, ids);
      else
        v.add(
          [...path, 'component', 'type'],
          'UNION_TYPE_CHOICES',
          'Value of field "type" must be one of (3, 4, 5, 6, 7, 8, 19).',
        );
    } else if (isObject(component) && component.type === 10) {
      checkString(v, [...path, 'content'], component.content, { min: 1, max: 4000, required: true });
    } else {
      v.add([...path, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1, 10, 18).');
    }
  });
  return v.list;
}
