// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/*
 * Layering: where code runs decides what it may import. Each folder gets one
 * `no-restricted-imports` rule; the folders do not overlap, so no rule silently
 * replaces another.
 *
 *   shared/**            pure TypeScript for every process: no electron, no Node
 *                        built-ins, no DOM-only libraries, nothing from electron/ or renderer/
 *   electron/engine|worker|cli/**
 *                        plain Node: never `electron`, never the Electron-only folders
 *   electron/preload/**  sandboxed: `electron` yes, Node built-ins no
 *   renderer/**          the browser: shared/ and npm UI libraries only
 */

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

const noNodeBuiltins = {
  paths: nodeBuiltins.map((name) => ({
    name,
    message: 'Node built-ins are not available here.',
  })),
  patterns: [{ group: ['node:*'], message: 'Node built-ins are not available here.' }],
};

const noElectron = {
  paths: [
    { name: 'electron', message: 'Only electron/main and electron/preload may use Electron.' },
  ],
  patterns: [
    { group: ['electron/*'], message: 'Only electron/main and electron/preload may use Electron.' },
  ],
};

/** Relative imports that climb into another top-level folder of the project. */
function noFolders(folders, message) {
  return { regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message };
}

const DOM_ONLY_LIBRARIES = ['react', 'react-dom', 'zustand'];

export default defineConfig([
  globalIgnores([
    'out/',
    'dist/',
    'node_modules/',
    'bench/.site/',
    'bench/.tmp/',
    'test-artifacts/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },

  // Where each folder runs, for the globals it may use.
  {
    files: ['electron/**', 'bench/**', 'tests/**', 'scripts/**', 'bin/**', '*.config.{js,ts,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...noElectron.paths,
            ...noNodeBuiltins.paths,
            ...DOM_ONLY_LIBRARIES.map((name) => ({
              name,
              message: 'shared/ runs in every process: no DOM-only libraries.',
            })),
          ],
          patterns: [
            ...noElectron.patterns,
            ...noNodeBuiltins.patterns,
            {
              group: DOM_ONLY_LIBRARIES.map((name) => `${name}/*`),
              message: 'shared/ runs in every process: no DOM-only libraries.',
            },
            noFolders(
              ['electron', 'renderer', 'bench', 'tests', 'scripts', 'bin'],
              'shared/ imports only shared/ and platform-neutral packages.',
            ),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage'].map(
          (name) => ({ name, message: 'shared/ runs in every process: no DOM globals.' }),
        ),
        ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global'].map((name) => ({
          name,
          message: 'shared/ runs in every process: no Node globals.',
        })),
      ],
    },
  },

  {
    files: ['electron/engine/**', 'electron/worker/**', 'electron/cli/**', 'electron/serve/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [
            ...noElectron.patterns,
            noFolders(
              ['main', 'preload', 'renderer'],
              'The engine, worker and CLI run under plain Node: no Electron-only or UI code.',
            ),
          ],
        },
      ],
    },
  },

  // The worker's per-page path. Node 20's V8 defines each property after a leading
  // spread through its runtime (bench/RESULTS.md, thirteenth session).
  {
    files: ['electron/worker/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ Property',
          message:
            'Put own properties before the spread (whose keys then win: check none overlap): after a leading one each costs about 0.6 µs under Node 20.',
        },
      ],
    },
  },

  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNodeBuiltins.paths,
          patterns: [
            ...noNodeBuiltins.patterns,
            noFolders(
              ['main', 'engine', 'worker', 'cli', 'renderer'],
              'The preload imports only electron and shared/.',
            ),
          ],
        },
      ],
    },
  },

  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer reaches the host only through window.trawl.',
            },
            ...noNodeBuiltins.paths,
          ],
          patterns: [
            {
              group: ['electron/*'],
              message: 'The renderer reaches the host only through window.trawl.',
            },
            ...noNodeBuiltins.patterns,
            noFolders(
              ['electron', 'bench', 'tests', 'scripts', 'bin'],
              'The renderer imports only shared/ and npm UI libraries.',
            ),
          ],
        },
      ],
    },
  },
]);
