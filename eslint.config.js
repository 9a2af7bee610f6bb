// Lint configuration. Besides style, it enforces the process boundaries written in
// docs/decisions/0001-process-boundaries.md: each folder names its process, and an import that
// crosses a boundary the wrong way fails the build. Inside electron/host it enforces the layers of
// docs/decisions/0020-host-layers.md the same way.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * @typedef {object} Restriction
 * @property {string[]} [names] modules refused by name
 * @property {string[]} [groups] gitignore-style patterns of refused imports
 * @property {string} [regex] a regular expression over the import path
 * @property {string} why the message the error shows
 */

/** One no-restricted-imports rule out of several restrictions (a later rule replaces, not adds). */
function forbid(/** @type {Restriction[]} */ ...restrictions) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: restrictions.flatMap((r) =>
          (r.names ?? []).map((name) => ({ name, message: r.why })),
        ),
        patterns: restrictions.flatMap((r) => [
          ...(r.groups ?? []).map((group) => ({ group: [group], message: r.why })),
          ...(r.regex ? [{ regex: r.regex, message: r.why }] : []),
        ]),
      },
    ],
  };
}

/** @type {Restriction} */
const hostProcess = {
  names: ['electron'],
  groups: [
    '**/server/**',
    '**/renderer/**',
    '**/electron/main/**',
    '**/electron/preload/**',
    '**/electron/web/**',
  ],
  // The shells as a file of the host reaches them: `../../main/main` names no `electron/`.
  regex: '^(?:\\.\\./)+(?:main|preload|web)(?:/|$)',
  why: 'electron/host is plain Node serving both shells: it never imports electron or another process.',
};

/**
 * Inside electron/host, imports go one way (docs/decisions/0020-host-layers.md): each folder
 * lists the folders of the host it may import, and every other folder of the host is refused.
 * test/lint/hostLayers.test.ts holds every folder of electron/host to this table.
 */
const HOST_LAYERS = {
  console: ['views', 'events', 'session', 'serverLink', 'calls', 'gateway'],
  views: ['session', 'serverLink', 'calls', 'gateway'],
  events: ['serverLink', 'calls'],
  session: ['serverLink', 'calls'],
  serverLink: ['calls'],
  calls: [],
  gateway: [],
  simulator: ['gateway'],
};

/** @returns {Restriction[]} */
function hostLayer(/** @type {keyof typeof HOST_LAYERS} */ folder) {
  const allowed = HOST_LAYERS[folder];
  const refused = Object.keys(HOST_LAYERS).filter((f) => f !== folder && !allowed.includes(f));
  if (refused.length === 0) return [];
  return [
    {
      // `../views/x`, `../../host/views/x`: a sibling folder of the host, however it is reached.
      regex: `^(?:\\.\\./)+(?:electron/host/|host/)?(?:${refused.join('|')})(?:/|$)`,
      why:
        (allowed.length
          ? `electron/host/${folder}/ imports only ${allowed.map((f) => `${f}/`).join(', ')} of the host's folders`
          : `electron/host/${folder}/ imports none of the host's other folders`) +
        ': imports go one way, down the layers (docs/decisions/0020-host-layers.md).',
    },
  ];
}

/** @type {Restriction} */
const consoleHostOnTop = {
  regex: '^\\./consoleHost$',
  why:
    'consoleHost.ts composes console/ and nothing in console/ imports it back: take the shape ' +
    'of a connection from consoleConnection.ts (docs/decisions/0020-host-layers.md).',
};

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
    rules: forbid({
      names: [...nodeBuiltins, 'electron'],
      groups: ['**/server/**', '**/electron/**', '**/renderer/**'],
      why: 'shared/ is pure and process-neutral: no Node built-ins, no electron, no process code.',
    }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: forbid({
      names: [...nodeBuiltins, 'electron'],
      groups: ['**/server/**', '**/electron/**'],
      why: 'renderer/ is browser code: it knows window.watchfloor and shared/ only.',
    }),
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: forbid(hostProcess),
  },
  ...Object.keys(HOST_LAYERS).map((folder) => ({
    files: [`electron/host/${folder}/**/*.ts`],
    rules: forbid(hostProcess, ...hostLayer(/** @type {keyof typeof HOST_LAYERS} */ (folder))),
  })),
  {
    files: ['electron/host/console/**/*.ts'],
    ignores: ['electron/host/console/consoleHost.ts'],
    rules: forbid(hostProcess, ...hostLayer('console'), consoleHostOnTop),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts', 'electron/web/**/*.ts'],
    rules: forbid({
      groups: ['**/server/**', '**/renderer/**'],
      why: 'The shells reach the server over HTTP and the renderer over the WatchfloorApi only.',
    }),
  },
  {
    files: ['server/**/*.ts'],
    rules: forbid({
      names: ['electron'],
      groups: ['**/electron/**', '**/renderer/**'],
      why: 'server/ depends on shared/ only.',
    }),
  },
);
