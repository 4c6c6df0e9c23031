// Proves that eslint.config.js enforces the architecture: snippets placed (virtually) in a layer
// must be rejected when they cross a boundary, and clean code must pass.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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
    [
      'src/session/Session.ts',
      "import { s } from '../ui/replay/replayStore.ts';\nexport const y = s;",
    ],
    ['src/session/x.ts', "export { replayStore } from '../ui/replay/replayStore.ts';"],
    [
      'src/sources/worker/emitters.ts',
      "import { R } from '../../recording/RecordingFeed.ts';\nexport const y = R;",
    ],
    ['src/sources/feed.ts', "import { S } from '../session/Session.ts';\nexport const y = S;"],
    ['src/sources/feed.ts', "import { o } from '../storage/db.ts';\nexport const y = o;"],
    [
      'src/storage/db.ts',
      "import type { L } from '../recording/RecordingWriter.ts';\nexport type Y = L;",
    ],
    ['src/storage/pipelines.ts', "import { S } from '../session/Session.ts';\nexport const y = S;"],
    [
      'src/recording/RecordingFeed.ts',
      "import { S } from '../session/Session.ts';\nexport const y = S;",
    ],
    ['src/recording/x.ts', "import { A } from '../ui/App';\nexport const y = A;"],
    [
      'src/runtime/engine.ts',
      "import { R } from '../recording/RecordingMerge.ts';\nexport const y = R;",
    ],
  ])('%s: rejects %j', async (filePath, code) => {
    expect(await ruleIds(code, filePath)).toContain('layers/no-cross-layer-import');
  });

  it.each([
    [
      'src/session/Session.ts',
      "import { W } from '../cluster/ClusterWorker.ts';\nexport const y = W;",
    ],
    [
      'src/runtime/engine.ts',
      "import { W } from '../cluster/ClusterWorker.ts';\nexport const y = W;",
    ],
    ['src/cluster/x.ts', "import { A } from '../ui/App';\nexport const y = A;"],
    ['src/cluster/x.ts', "import { m } from '../cli/main.ts';\nexport const y = m;"],
  ])('cluster (#15): %s rejects %j', async (filePath, code) => {
    expect(await ruleIds(code, filePath)).toContain('layers/no-cross-layer-import');
  });

  it('lets cli and ui import cluster, and cluster import session', async () => {
    const cluster = "import { W } from '../cluster/ClusterWorker.ts';\nexport const w = W;";
    expect(await ruleIds(cluster, 'src/cli/main.ts')).toEqual([]);
    expect(await ruleIds(cluster, 'src/ui/Panel.tsx')).toEqual([]);
    const session = "import { Session } from '../session/Session.ts';\nexport const s = Session;";
    expect(await ruleIds(session, 'src/cluster/x.ts')).toEqual([]);
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

  it('lets ui and cli import session, session import recording, recording import sources', async () => {
    const session = "import { Session } from '../session/Session.ts';\nexport const s = Session;";
    expect(await ruleIds(session, 'src/ui/Panel.tsx')).toEqual([]);
    expect(await ruleIds(session, 'src/cli/main.ts')).toEqual([]);
    const recording =
      "import { RecordingDecoder } from '../recording/RecordingDecoder.ts';\nexport const d = RecordingDecoder;";
    expect(await ruleIds(recording, 'src/session/Session.ts')).toEqual([]);
    expect(await ruleIds(recording, 'src/cli/main.ts')).toEqual([]);
    const sources =
      "import { ExchangeEventEmitter } from '../sources/ExchangeEventEmitter.ts';\nexport const e = ExchangeEventEmitter;";
    expect(await ruleIds(sources, 'src/recording/RecordingDecoder.ts')).toEqual([]);
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

/**
 * src/ui holds React components, hooks, stores and styles; the data plane lives in src/session.
 * A non-test module under ui/run or ui/replay must be React, a zustand store, or glue that binds
 * one (it imports react, zustand, a `*Store.ts` module or the studio's stores).
 */
describe('ui holds no data plane', () => {
  const UI_GLUE = /from '(react|react-dom[^']*|zustand[^']*|[^']*Store\.ts|[^']*\/studio\.ts)'/;
  const dirs = ['src/ui/run', 'src/ui/replay'];

  function modules(dir: string): string[] {
    return readdirSync(path.join(ROOT, dir))
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .map((f) => path.join(dir, f));
  }

  it.each(dirs)('every module of %s is React, a store or store glue', (dir) => {
    const files = modules(dir);
    expect(files.length).toBeGreaterThan(0);
    const dataPlane = files.filter(
      (f) => !f.endsWith('.tsx') && !UI_GLUE.test(readFileSync(path.join(ROOT, f), 'utf8')),
    );
    expect(dataPlane).toEqual([]);
  });

  it('the check bites: the moved runners would fail it', () => {
    const runner = readFileSync(path.join(ROOT, 'src/session/InThreadRunner.ts'), 'utf8');
    const engine = readFileSync(path.join(ROOT, 'src/session/ReplayEngine.ts'), 'utf8');
    expect(UI_GLUE.test(runner)).toBe(false);
    expect(UI_GLUE.test(engine)).toBe(false);
  });
});

/**
 * The whole of src/ui: a non-test module is React (`.tsx`), a store or store glue (as above), or
 * view code — text, layout, drawing, the editor's document model, calls into the session — that
 * may import the engines' types but none of their code: no value import from runtime, recording,
 * storage, cluster, sources (the feed-status contract aside: its types and reason words) or the
 * computing parts of core (batch, graph, stream, orderBook, userdef). ui reaches them through
 * src/session, where whatever computes over market data, runs workers or reads IndexedDB
 * without React lives (issue #11 §1).
 */
describe('ui/ holds only React components, hooks, stores and styles', () => {
  const UI_GLUE = /from '(react|react-dom[^']*|zustand[^']*|[^']*Store\.ts|[^']*\/studio\.ts)'/;
  const DATA_PLANE =
    /^import (?!type )[^;]*?from '(?:\.\.\/)+(?:runtime|recording|storage|cluster|sources\/(?!connection\/FeedStatus\.ts')|core\/(?:batch|graph|stream|orderBook|userdef)\/)/m;

  function uiModules(): string[] {
    return readdirSync(path.join(ROOT, 'src/ui'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !/\.(test|d)\.tsx?$/.test(f))
      .map((f) => path.join('src/ui', f));
  }
  const isViewOrGlue = (file: string, text: string): boolean =>
    file.endsWith('.tsx') || UI_GLUE.test(text) || !DATA_PLANE.test(text);

  it('every module is React, a store, store glue, or view code importing no data-plane code', () => {
    const files = uiModules();
    expect(files.length).toBeGreaterThan(100);
    const dataPlane = files.filter(
      (f) => !isViewOrGlue(f, readFileSync(path.join(ROOT, f), 'utf8')),
    );
    expect(dataPlane).toEqual([]);
  });

  it('the check bites: the modules moved out of ui (#11) would fail it there', () => {
    for (const moved of [
      'src/session/exportColumns.ts',
      'src/session/compileWorker.ts',
      'src/session/compileClient.ts',
      'src/session/importWorker.ts',
      'src/session/importInWorker.ts',
    ]) {
      // As they read in ui/ before the move: their imports one folder deeper.
      const asInUi = readFileSync(path.join(ROOT, moved), 'utf8')
        .replaceAll("from '../", "from '../../")
        .replaceAll("from './", "from '../../session/");
      expect({ moved, ok: isViewOrGlue('src/ui/io/x.ts', asInUi) }).toEqual({ moved, ok: false });
    }
    // Types alone are fine: a view module may name the data plane's contracts.
    const types =
      "import type { Event } from '../../core/events.ts';\nimport type { PortLike } from '../../runtime/ports.ts';\n";
    expect(isViewOrGlue('src/ui/io/x.ts', types)).toBe(true);
  });
});
