// Proves that eslint.config.js enforces the architecture: snippets placed (virtually) in a layer
// must be rejected when they cross a boundary, and clean code must pass.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The rule ids reported for `code` linted as if it lived at `filePath`. */
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (!result) throw new Error('ESLint returned no result');
  return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('src/core layering', { timeout: 30_000 }, () => {
  const core = 'src/core/x.ts';

  it.each([
    ["import React from 'react';\nexport const r = React;", 'no-restricted-imports'],
    [
      "import { createRoot } from 'react-dom/client';\nexport const c = createRoot;",
      'no-restricted-imports',
    ],
    [
      "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;",
      'no-restricted-imports',
    ],
    ["import path from 'path';\nexport const p = path;", 'no-restricted-imports'],
    ["import { wrap } from 'comlink';\nexport const w = wrap;", 'no-restricted-imports'],
    ["import { x } from '../ui/App';\nexport const y = x;", 'layers/no-cross-layer-import'],
    [
      "import { x } from '../../src/sources/feed';\nexport const y = x;",
      'layers/no-cross-layer-import',
    ],
    ["export { x } from '../runtime/engine';", 'layers/no-cross-layer-import'],
    ["export const m = import('react');", 'layers/no-cross-layer-import'],
    ['export const t = Date.now();', 'no-restricted-properties'],
    ['export const t = performance.now();', 'no-restricted-properties'],
    ['export const t = new Date();', 'no-restricted-syntax'],
    ["export const ws = new WebSocket('x');", 'no-restricted-globals'],
    ['setTimeout(() => {}, 1);', 'no-restricted-globals'],
    ['export const d = window.document;', 'no-restricted-globals'],
  ])('rejects %j', async (code, rule) => {
    expect(await ruleIds(code, core)).toContain(rule);
  });

  it('accepts pure code, core imports and date parsing', async () => {
    const code = [
      "import type { Event } from '../events.ts';",
      "import { listDefinitions } from './definitions/registry.ts';",
      '',
      'export function parse(e: Event): number {',
      "  return new Date('2024-01-01T00:00:00Z').getTime() / 1000 + e.timestamp;",
      '}',
      'export const count = listDefinitions().length;',
      '',
    ].join('\n');
    expect(await ruleIds(code, 'src/core/features/parse.ts')).toEqual([]);
  });
});

describe('src/testing (test scaffolding)', { timeout: 30_000 }, () => {
  const helper = (rel: string) =>
    `import { collect } from '${rel}testing/core/testHelpers.ts';\nexport const c = collect;`;

  it.each([
    ['src/core/definitions/builtin/vwapFd.ts', '../../../'],
    ['src/runtime/engine.ts', '../'],
    ['src/storage/store.ts', '../'],
    ['src/sources/connection/VenueFeed.ts', '../../'],
    ['src/cli/main.ts', '../'],
    ['src/ui/App.tsx', '../'],
    ['src/entry.ts', './'],
  ])('product file %s may not import it', async (filePath, rel) => {
    const [result] = await eslint.lintText(helper(rel), { filePath });
    const messages = result?.messages.map((m) => `${m.ruleId}: ${m.message}`) ?? [];
    expect(messages).toEqual([
      expect.stringMatching(/^layers\/no-cross-layer-import: Product code may not import test/),
    ]);
  });

  it.each([
    ["export { FakeSocket } from '../../testing/sources/FakeSocket.ts';"],
    ["export const m = import('../../testing/sources/FakeSocket.ts');"],
  ])('re-exports and dynamic imports count too: %j', async (code) => {
    expect(await ruleIds(code, 'src/sources/connection/x.ts')).toContain(
      'layers/no-cross-layer-import',
    );
  });

  it.each([
    ['src/core/definitions/builtin/vwapFd.test.ts', '../../../'],
    ['src/core/config/config.fuzz.test.ts', '../../'],
    ['src/ui/replay/replay.test.ts', '../../'],
    ['bench/harness/main.ts', '../../src/'],
    ['src/testing/sources/x.ts', '../../'],
    ['bench/x.bench.ts', '../src/'],
    ['e2e/x.spec.ts', '../src/'],
    ['tools/exchange-sim/x.ts', '../../src/'],
  ])('%s may import it', async (filePath, rel) => {
    expect(await ruleIds(helper(rel), filePath)).toEqual([]);
  });

  it('may import any layer but ui', async () => {
    const sources =
      "import { VenueFeed } from '../../sources/connection/VenueFeed.ts';\nexport const v = VenueFeed;";
    const ui = "import { App } from '../../ui/App';\nexport const a = App;";
    expect(await ruleIds(sources, 'src/testing/sources/x.ts')).toEqual([]);
    expect(await ruleIds(ui, 'src/testing/ui/x.ts')).toContain('layers/no-cross-layer-import');
  });
});

describe('other layers', { timeout: 30_000 }, () => {
  it.each([
    ['src/runtime/engine.ts', "import { x } from '../sources/feed';\nexport const y = x;"],
    ['src/storage/store.ts', "import { x } from '../ui/App';\nexport const y = x;"],
    ['src/sources/feed.ts', "import { x } from '../cli/main';\nexport const y = x;"],
    ['src/cli/main.ts', "import { App } from '../ui/App';\nexport const y = App;"],
    ['bench/run.ts', "import { App } from '../src/ui/App';\nexport const y = App;"],
  ])('%s: rejects %j', async (filePath, code) => {
    expect(await ruleIds(code, filePath)).toContain('layers/no-cross-layer-import');
  });

  it('only src/runtime/rpc.ts may import comlink, only src/storage/db.ts idb', async () => {
    const comlink = "import { wrap } from 'comlink';\nexport const w = wrap;";
    const idb = "import { openDB } from 'idb';\nexport const o = openDB;";
    expect(await ruleIds(comlink, 'src/runtime/rpc.ts')).toEqual([]);
    expect(await ruleIds(comlink, 'src/runtime/engine.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(idb, 'src/storage/db.ts')).toEqual([]);
    expect(await ruleIds(idb, 'src/storage/store.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(idb, 'src/runtime/rpc.ts')).toContain('no-restricted-imports');
  });

  it('lets runtime import core, and ui import core', async () => {
    const code =
      "import { listDefinitions } from '../core/definitions/registry.ts';\nexport const l = listDefinitions;";
    expect(await ruleIds(code, 'src/runtime/engine.ts')).toEqual([]);
    expect(await ruleIds(code, 'src/ui/Panel.tsx')).toEqual([]);
  });

  it('bans enums everywhere', async () => {
    expect(await ruleIds('export enum Side { Buy, Sell }', 'src/runtime/x.ts')).toContain(
      'no-restricted-syntax',
    );
  });
});
