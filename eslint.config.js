// Lint for the whole tree: typescript-eslint's type-checked rules, import cycles and the layer rule.
// Formatting is Prettier's job (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/**
 * The layers, lowest first. A module may import from its own layer and the ones below, never from above,
 * so folders cannot form a cycle. Pure layers (mj's schemas and ids, render, the sentences in replies)
 * sit low enough that no I/O module is below them; every sentence's words (src/i18n, pure) sit below
 * everything that says one. submit (the paid-submit flows) asks the tracker to
 * follow what it started; discord (router, the table of handlers) calls submit.
 */
const LAYERS = [
  [
    'src/clock.ts',
    'src/log.ts',
    'src/config',
    'src/redact.ts',
    'src/days.ts',
    'src/server-settings.ts',
    'src/usage-summary.ts',
  ],
  ['src/i18n'],
  ['src/mj'],
  ['src/store'],
  ['src/render'],
  ['src/replies'],
  ['src/media'],
  ['src/tracking'],
  ['src/submit'],
  ['src/discord'],
  ['src/webhook'],
  ['src/bot.ts', 'src/main.ts', 'src/deploy-commands.ts', 'src/doctor'],
];
const layerZones = LAYERS.slice(0, -1).flatMap((targets, i) =>
  targets.map((target) => ({
    target,
    from: LAYERS.slice(i + 1).flat(),
    message: `${target} is below what it imports here (layers: eslint.config.js).`,
  })),
);
/** Modules that must stay free of I/O even inside an I/O layer. */
const PURE = [
  'src/redact.ts',
  'src/days.ts',
  'src/server-settings.ts',
  'src/usage-summary.ts',
  'src/submit/server-rules.ts',
  'src/i18n',
  'src/mj/schema.ts',
  'src/mj/custom-id.ts',
  'src/mj/submit-state.ts',
  'src/mj/task.ts',
  'src/render',
  'src/replies',
  'src/submit/classify-submit.ts',
  'src/submit/prompt.ts',
  'src/submit/prompt-modal.ts',
];
const pureZones = PURE.map((target) => ({
  target,
  from: ['src/mj/client.ts', 'src/media', 'src/store'],
  message: 'Pure code imports no I/O module.',
}));

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The layer rule: pure modules import no I/O module, store and mj know nothing of Discord or tracking.
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [...layerZones, ...pureZones],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // A language is one file (every sentence and the slash commands' texts): a table of words, not
    // code, kept whole so that adding a language stays one file (issue 16).
    files: ['src/i18n/languages/*.ts'],
    rules: { 'max-lines': ['error', { max: 600, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      // Tests build hostile and partial payloads on purpose.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // Fakes implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  prettier,
);
