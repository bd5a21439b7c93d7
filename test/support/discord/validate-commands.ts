// Application command rules for bulk overwrite / create (developers/interactions/application-commands.mdx
// "Application Command Naming", option limits, 4000-character command size).
import { checkArrayLength, checkString, isObject, Violations, type Path } from './validate-fields.js';
import type { Violation } from './http-errors.js';

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const OPTION_TYPES = '{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}';
const CHOICE_TYPES = new Set([3, 4, 10]);

function checkName(v: Violations, path: Path, name: unknown, chatInput: boolean): number {
  const length = checkString(v, path, name, { min: 1, max: 32, required: true });
  if (
    chatInput &&
    typeof name === 'string' &&
    length > 0 &&
    (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase())
  ) {
    v.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  return length;
}

function checkOptions(v: Violations, path: Path, options: unknown, depth: number): number {
  if (options === undefined || options === null) return 0;
  const list = checkArrayLength(v, path, options, 0, 25);
  let size = 0;
  let seenOptional = false;
  const names = new Set<string>();
  const kinds = new Set<'sub' | 'plain'>();
  list.forEach((option, i) => {
    const p = [...path, i];
    const o = isObject(option) ? option : {};
    const type = o.type;
    if (typeof type !== 'number' || !Number.isInteger(type) || type < 1 || type > 11) {
      v.add([...p, 'type'], 'BASE_TYPE_CHOICES', `Value must be one of ${OPTION_TYPES}.`);
      return;
    }
    const isSub = type === 1 || type === 2;
    kinds.add(isSub ? 'sub' : 'plain');
    if (isSub && (depth >= 2 || (type === 2 && depth >= 1))) {
      v.add(
        [...p, 'type'],
        'APPLICATION_COMMAND_OPTION_INVALID_NESTING',
        'Sub-command groups cannot be nested that deep',
      );
    }
    size += checkName(v, [...p, 'name'], o.name, true);
    size += checkString(v, [...p, 'description'], o.description, { min: 1, max: 100, required: true });
    if (typeof o.name === 'string') {
      if (names.has(o.name))
        v.add([...p, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name already exists');
      names.add(o.name);
    }
    if (!isSub) {
      if (o.required === true && seenOptional) {
        v.add(
          [...p, 'required'],
          'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          'Required options must be placed before non-required options',
        );
      }
      if (o.required !== true) seenOptional = true;
    }
    if (o.choices !== undefined && o.choices !== null) {
      if (!CHOICE_TYPES.has(type))
        v.add(
          [...p, 'choices'],
          'APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED',
          'Choices are not allowed for this option type',
        );
      if (o.autocomplete === true)
        v.add(
          [...p, 'autocomplete'],
          'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES',
          'Autocomplete and choices are mutually exclusive',
        );
      checkArrayLength(v, [...p, 'choices'], o.choices, 0, 25).forEach((choice, j) => {
        const c = isObject(choice) ? choice : {};
        size += checkString(v, [...p, 'choices', j, 'name'], c.name, { min: 1, max: 100, required: true });
        if (typeof c.value === 'string') size += checkString(v, [...p, 'choices', j, 'value'], c.value, { max: 100 });
        else if (typeof c.value !== 'number')
          v.add([...p, 'choices', j, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
      });
    }
    for (const [key, min] of [
      ['min_length', 0],
      ['max_length', 1],
    ] as const) {
      const n = o[key];
      if (n !== undefined && (typeof n !== 'number' || n < min || n > 6000)) {
        v.add([...p, key], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 6000.');
      }
    }
    if (isSub) size += checkOptions(v, [...p, 'options'], o.options, depth + 1);
  });
  if (kinds.size > 1)
    v.add(
      path,
      'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
      'Sub-command and sub-command group option types are mutually exclusive to all other types',
    );
  return size;
}

function checkCommand(v: Violations, path: Path, command: unknown): void {
  if (!isObject(command)) {
    v.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  const type = command.type ?? 1;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    v.add([...path, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
    return;
  }
  let size = checkName(v, [...path, 'name'], command.name, type === 1);
  if (type === 1) {
    size += checkString(v, [...path, 'description'], command.description, { min: 1, max: 100, required: true });
    size += checkOptions(v, [...path, 'options'], command.options, 0);
  } else if (typeof command.description === 'string' && command.description !== '') {
    v.add(
      [...path, 'description'],
      'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID',
      'Context menu commands cannot have a description',
    );
  }
  checkContexts(v, [...path, 'contexts'], command.contexts);
  if (size > 4000) v.add(path, 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (4000)');
}

/** Interaction contexts: null/absent (all), or a list of 0 GUILD, 1 BOT_DM, 2 PRIVATE_CHANNEL without repeats. */
function checkContexts(v: Violations, path: Path, contexts: unknown): void {
  if (contexts === undefined || contexts === null) return;
  const list = checkArrayLength(v, path, contexts, 0, 3);
  list.forEach((context, i) => {
    if (context !== 0 && context !== 1 && context !== 2)
      v.add([...path, i], 'BASE_TYPE_CHOICES', 'Value must be one of {0, 1, 2}.');
  });
  if (new Set(list).size !== list.length) v.add(path, 'BASE_TYPE_DUPLICATE', 'Contexts must be unique');
}

/** Violations of a bulk-overwrite body (an array of commands). */
export function commandListViolations(commands: unknown): Violation[] {
  const v = new Violations();
  const list = checkArrayLength(v, [], commands, 0, 100);
  const seen = new Set<string>();
  list.forEach((command, i) => {
    checkCommand(v, [i], command);
    if (isObject(command) && typeof command.name === 'string') {
      const key = `${String(command.type ?? 1)}:${command.name}`;
      if (seen.has(key))
        v.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
      seen.add(key);
    }
  });
  return v.list;
}

export function commandViolations(command: unknown): Violation[] {
  const v = new Violations();
  checkCommand(v, [], command);
  return v.list;
}
