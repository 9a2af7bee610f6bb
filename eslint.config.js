// Lint configuration. Besides style, it enforces the process boundaries written in
// docs/decisions/0001-process-boundaries.md: each folder names its process, and an import that
// crosses a boundary the wrong way fails the build.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** @param {string[]} groups @param {string[]} names @param {string} why */
function forbid(names, groups, why) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: names.map((name) => ({ name, message: why })),
        patterns: groups.map((group) => ({ group: [group], message: why })),
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'bench/results/**', '.watchfloor/**', '.tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: forbid(
      [...nodeBuiltins, 'electron'],
      ['**/server/**', '**/electron/**', '**/renderer/**'],
      'shared/ is pure and process-neutral: no Node built-ins, no electron, no process code.',
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: forbid(
      [...nodeBuiltins, 'electron'],
      ['**/server/**', '**/electron/**'],
      'renderer/ is browser code: it knows window.watchfloor and shared/ only.',
    ),
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: forbid(
      ['electron'],
      [
        '**/server/**',
        '**/renderer/**',
        '**/electron/main/**',
        '**/electron/preload/**',
        '**/electron/web/**',
      ],
      'electron/host is plain Node serving both shells: it never imports electron or another process.',
    ),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts', 'electron/web/**/*.ts'],
    rules: forbid(
      [],
      ['**/server/**', '**/renderer/**'],
      'The shells reach the server over HTTP and the renderer over the WatchfloorApi only.',
    ),
  },
  {
    files: ['server/**/*.ts'],
    rules: forbid(
      ['electron'],
      ['**/electron/**', '**/renderer/**'],
      'server/ depends on shared/ only.',
    ),
  },
);
