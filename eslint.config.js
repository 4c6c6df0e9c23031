// ESLint flat config. Besides style and correctness, it enforces the architecture's layering
// (see the LAYERS table below): a layer violation is a lint error, so it cannot land on main.
import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const SRC = path.join(ROOT, 'src');

// ---------------------------------------------------------------------------------------------
// Layers: src/<layer>/** may import its own layer plus the layers listed here, nothing else under
// src/. Files outside the layers (bench, e2e, scripts, src/*.ts) may import any layer except ui;
// only src/ui itself and the src/main entry may import src/ui.
// ---------------------------------------------------------------------------------------------
const LAYERS = {
  core: [], // pure: time comes from events, no I/O, no platform APIs
  runtime: ['core'],
  storage: ['core'],
  sources: ['core', 'runtime'], // recording (which writes to storage) sits above sources
  // Recording decodes with the venue adapters, so it sits above sources; sources never import it.
  recording: ['core', 'sources', 'runtime', 'storage'],
  // The headless session (runners, replay, compare, record taps): never the UI.
  session: ['core', 'runtime', 'sources', 'storage', 'recording'],
  // Pipelines on a NATS JetStream cluster (#15): workers, deploy, tail, status over the session.
  cluster: ['core', 'runtime', 'sources', 'recording', 'session'],
  cli: ['core', 'sources', 'runtime', 'storage', 'recording', 'session', 'cluster'],
  ui: ['core', 'sources', 'runtime', 'storage', 'recording', 'session', 'cluster'],
  // Test scaffolding (fakes, exact references, fixtures, the CLI harness): any layer but ui.
  testing: ['core', 'runtime', 'storage', 'sources', 'recording', 'session', 'cli', 'cluster'],
};
const UI_ENTRIES = [/^main\.[cm]?[jt]sx?$/]; // src/main.* may import src/ui
// Product code never imports src/testing. Besides src/testing itself, only tests and the files
// outside src/ (bench and its harness page, e2e, tools) may.
const TEST_FILE = /\.test\.[cm]?[jt]sx?$/;

/** The layer a path lies in ('core', …), '' for other files under src/, undefined outside src. */
function layerOf(file) {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  const [first] = rel.split(path.sep);
  return Object.hasOwn(LAYERS, first) ? first : '';
}

const layersPlugin = {
  rules: {
    'no-cross-layer-import': {
      meta: {
        type: 'problem',
        docs: { description: 'Enforce the src/ layering (which layer may import which)' },
        schema: [],
        messages: {
          forbidden:
            "src/{{from}} may not import from src/{{to}} ('{{source}}'): {{from}} may import only {{allowed}}.",
          ui: "Only src/ui and the src/main entry may import from src/ui ('{{source}}').",
          corePackage: "src/core may not load '{{source}}': core is pure and platform-free.",
          testing:
            "Product code may not import test scaffolding ('{{source}}'): only *.test.ts files, bench, e2e and tools may import src/testing.",
        },
      },
      create(context) {
        const file = context.filename;
        const from = layerOf(file);
        const relToSrc = path.relative(SRC, file);
        const isUiEntry = from === '' && UI_ENTRIES.some((re) => re.test(relToSrc));
        const mayUseTesting = from === undefined || TEST_FILE.test(relToSrc);
        function check(node, isDynamic = false) {
          if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
          const source = node.value;
          let target;
          if (source.startsWith('.')) target = path.resolve(path.dirname(file), source);
          else if (source.startsWith('/'))
            target = path.join(ROOT, source); // Vite root-absolute
          else {
            // Static imports of packages are handled by no-restricted-imports; this catches
            // `import('react')` and friends, which that rule does not see.
            if (from === 'core' && isDynamic && isCoreBannedPackage(source)) {
              context.report({ node, messageId: 'corePackage', data: { source } });
            }
            return;
          }
          const to = layerOf(target.replace(/\?.*$/, ''));
          if (!to || to === from) return;
          if (to === 'testing') {
            if (!mayUseTesting) context.report({ node, messageId: 'testing', data: { source } });
            return;
          }
          if (from) {
            if (!LAYERS[from].includes(to)) {
              const allowed = [from, ...LAYERS[from]].map((l) => `src/${l}`).join(', ');
              context.report({ node, messageId: 'forbidden', data: { from, to, source, allowed } });
            }
          } else if (to === 'ui' && !isUiEntry) {
            context.report({ node, messageId: 'ui', data: { source } });
          }
        }
        return {
          ImportDeclaration: (n) => check(n.source),
          ExportNamedDeclaration: (n) => check(n.source),
          ExportAllDeclaration: (n) => check(n.source),
          ImportExpression: (n) => check(n.source, true),
        };
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Packages. no-restricted-imports options are replaced (not merged) by a later matching config
// object, so each file group below gets its complete list.
// ---------------------------------------------------------------------------------------------
const COMLINK = { name: 'comlink', message: 'Only src/runtime/rpc.ts may import comlink.' };
const IDB = { name: 'idb', message: 'Only src/storage/db.ts may import idb.' };
const CORE_MSG = 'src/core is pure and platform-free: no React, no I/O, no Node or browser APIs.';
const CORE_BANNED_PACKAGES = [
  'react',
  'react-dom',
  'comlink',
  'idb',
  'ws',
  ...builtinModules.filter((m) => !m.startsWith('_')),
].map((name) => ({ name, message: CORE_MSG }));
const CORE_BANNED_NAMES = new Set(CORE_BANNED_PACKAGES.map((p) => p.name));
function isCoreBannedPackage(source) {
  const [scopeOrName] = source.split('/');
  return (
    source.startsWith('node:') ||
    CORE_BANNED_NAMES.has(source) ||
    CORE_BANNED_NAMES.has(scopeOrName)
  );
}
const CORE_BANNED_PATTERNS = [
  { group: ['node:*', 'react/*', 'react-dom/*', 'fs/*', 'path/*'], message: CORE_MSG },
];

const CORE_CLOCK = 'core reads no wall clock: time comes from events.';
const NO_ENUMS = {
  selector: 'TSEnumDeclaration',
  message: 'Use a union of string literals (or an `as const` object) instead of an enum.',
};
const CORE_BANNED_GLOBALS = [
  'window',
  'document',
  'self',
  'navigator',
  'WebSocket',
  'Worker',
  'indexedDB',
  'fetch',
  'XMLHttpRequest',
  'localStorage',
  'sessionStorage',
  'MessageChannel',
  'postMessage',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'requestAnimationFrame',
  'process',
].map((name) => ({
  name,
  message: `src/core is pure: '${name}' is a platform API. Keep it in src/runtime, src/sources or src/ui.`,
}));

const TS_JS = '**/*.{ts,tsx,mts,cts,js,mjs,cjs}';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'dist-cli*/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: [TS_JS],
    plugins: { layers: layersPlugin },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'layers/no-cross-layer-import': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      eqeqeq: 'error',
      'no-console': 'error',
      'no-restricted-syntax': ['error', NO_ENUMS],
      'no-restricted-imports': ['error', { paths: [COMLINK, IDB] }],
    },
  },
  // The one file that wraps comlink, and the one that wraps idb.
  {
    files: ['src/runtime/rpc.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [IDB] }] },
  },
  {
    files: ['src/storage/db.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [COMLINK] }] },
  },
  // Core: deterministic and platform-free.
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: CORE_BANNED_PACKAGES, patterns: CORE_BANNED_PATTERNS },
      ],
      'no-restricted-globals': ['error', ...CORE_BANNED_GLOBALS],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: CORE_CLOCK },
        { object: 'performance', property: 'now', message: CORE_CLOCK },
      ],
      'no-restricted-syntax': [
        'error',
        NO_ENUMS,
        // `new Date(x)` parses a date and is fine; `new Date()` and `Date()` read the clock.
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CORE_CLOCK },
        { selector: "CallExpression[callee.name='Date']", message: CORE_CLOCK },
      ],
    },
  },
  // Browser UI.
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: { globals: globals.browser },
  },
  // Node-side code, where printing is the point.
  {
    files: ['src/cli/**', 'scripts/**', 'bench/**', 'e2e/**', '*.config.{js,ts,mjs}'],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
);
