import { describe, expect, it } from 'vitest';
import { compileDefinition } from './compileDefinition.ts';
import { scalarDefinition } from '../../testing/core/userDefinitions.ts';

/** The problems of compiling `source` (fails the test if it compiled). */
function problemsOf(source: string): string[] {
  const r = compileDefinition(source);
  if (r.ok) throw new Error('compiled, expected problems');
  return r.problems.map((p) => p.message);
}

describe('compileDefinition: determinism check', () => {
  // Each construct on line 9 (inside onEvent) or line 2 (module level), and the words its error
  // must contain.
  const inBody: [string, string][] = [
    ['const t = Date.now();', 'line 9: Date reads the wall clock'],
    ['const d = new Date();', 'line 9: Date reads the wall clock'],
    ['const p = performance.now();', 'line 9: performance reads the wall clock'],
    ['const r = Math.random();', 'line 9: Math.random is randomness'],
    ["const r = Math['random']();", 'line 9: Math.random is randomness'],
    ['const u = crypto.getRandomValues(new Uint8Array(4));', 'line 9: crypto is randomness'],
    ["fetch('https://example.com');", 'line 9: fetch is network access'],
    ["const w = new WebSocket('ws://x');", 'line 9: WebSocket is network access'],
    ['const x = new XMLHttpRequest();', 'line 9: XMLHttpRequest is network access'],
    ["document.title = 'x';", 'line 9: document is a platform API'],
    ['window.x = 1;', 'line 9: window is a platform API'],
    ['globalThis.x = 1;', 'line 9: globalThis is a platform API'],
    ['self.postMessage(1);', 'line 9: self is a platform API'],
    ['process.exit(1);', 'line 9: process is a platform API'],
    ['setTimeout(() => 0, 1);', 'line 9: setTimeout is a timer'],
    ['setInterval(() => 0, 1);', 'line 9: setInterval is a timer'],
    ['queueMicrotask(() => 0);', 'line 9: queueMicrotask is a timer'],
    ['Promise.resolve(1);', 'line 9: Promise is asynchronous'],
    ["eval('1');", 'line 9: eval evaluates code'],
    ["const f = new Function('return 1');", 'line 9: Function evaluates code'],
    ["const f = (() => 0).constructor('return 1');", 'line 9: .constructor reaches the Function'],
    ["const f = (() => 0)['constructor'];", 'line 9: .constructor reaches the Function'],
    ["const m = import('node:fs');", 'line 9: import() is asynchronous'],
    ["const r = require('fs');", 'line 9: require is a module import'],
    ['Array.prototype.x = 1;', 'line 9: .prototype changes prototypes'],
    ['const s = (1.5).toLocaleString();', 'line 9: .toLocaleString is locale-dependent'],
    ["const n = new Intl.NumberFormat('en');", 'line 9: Intl is locale-dependent'],
    ['const w = new WeakRef(state);', 'line 9: WeakRef depends on garbage collection'],
  ];
  for (const [code, expected] of inBody) {
    it(`rejects \`${code}\` naming its line`, () => {
      expect(problemsOf(scalarDefinition('x', `    ${code}\n    return undefined;`))).toEqual(
        expect.arrayContaining([expect.stringContaining(expected)]),
      );
    });
  }

  const atTop: [string, string][] = [
    ["import { readFileSync } from 'node:fs';", "line 2: import from 'node:fs'"],
    ["import x from './other';", "line 2: import from './other'"],
    ["export * from 'featurizer';", 'line 2: re-export from a module'],
    ['let shared = 0;', 'line 2: module-level let would be shared'],
    ['var shared = 0;', 'line 2: module-level var would be shared'],
    ['export let shared = 0;', 'line 2: module-level let would be shared'],
    ['const later = async () => 1;', 'line 2: an async function is asynchronous'],
    ['const m = import.meta.url;', 'line 2: import.meta is a platform API'],
  ];
  for (const [code, expected] of atTop) {
    it(`rejects module-level \`${code}\` naming its line`, () => {
      expect(problemsOf(scalarDefinition('x', '    return undefined;', code))).toEqual(
        expect.arrayContaining([expect.stringContaining(expected)]),
      );
    });
  }

  it('reports every problem, in line order', () => {
    const src = scalarDefinition(
      'x',
      '    const a = Date.now();\n    return { out: Math.random() };',
      'let s = 0;',
    );
    expect(problemsOf(src).map((m) => m.split(':')[0])).toEqual(['line 2', 'line 9', 'line 10']);
  });

  it('accepts what the rules allow: Math, loops, local state, type annotations, helpers', () => {
    const src = scalarDefinition(
      'ok',
      [
        '    const xs: number[] = [1, 2, 3];',
        '    let s = 0;',
        '    for (const x of xs) s += Math.abs(x);',
        '    state.n += 1;',
        '    return { out: s + state.n + Number(input.timestamp > 0) };',
      ].join('\n'),
      'const HALF = 0.5; interface Pt { x: number }',
    );
    const r = compileDefinition(src);
    expect(r.ok ? r.definition.name : r.problems).toBe('test.ok');
  });
});

describe('compileDefinition: syntax, shape and evaluation errors name the line or field', () => {
  it('names the line of a TypeScript syntax error', () => {
    expect(problemsOf(scalarDefinition('x', '    const x = ;'))).toEqual([
      expect.stringMatching(/^line 9: Unexpected token/),
    ]);
  });

  it('asks for a default export', () => {
    expect(problemsOf("import { defineFeature } from 'featurizer';\nconst x = 1;\n")).toEqual([
      expect.stringContaining('no default export'),
    ]);
  });

  it('names the bad field of a declaration', () => {
    const src = scalarDefinition('x', '    return undefined;').replace(
      "schema: { out: 'number' }",
      "schema: { out: 'decimal' }",
    );
    expect(problemsOf(src)).toEqual([
      expect.stringContaining('defineFeature: output.schema.out: expected one of number'),
    ]);
  });

  it('rejects a name that is not dotted lowercase, and a missing logic', () => {
    expect(problemsOf(scalarDefinition('x', '').replace("'test.x'", "'Mid Price'"))).toEqual([
      expect.stringContaining('defineFeature: name: "Mid Price" must be dotted lowercase'),
    ]);
    const noLogic = scalarDefinition('x', '').replace(/onEvent\(state, input\) \{\n\n {2}\},/, '');
    expect(problemsOf(noLogic)).toEqual([
      expect.stringContaining('give exactly one of onEvent (with init) or stream'),
    ]);
  });

  it('stops a module whose top level spins, by the loop budget, at compile time', () => {
    const r = compileDefinition(scalarDefinition('x', '    return undefined;', 'while (true) {}'), {
      loopBudget: 1000,
    });
    expect(r.ok ? 'compiled' : r.problems[0]!.message).toContain(
      'stopped after 1000 loop iterations',
    );
  });

  it('gives the same revision for the same source, another for an edit', () => {
    const a = compileDefinition(scalarDefinition('x', '    return { out: 1 };'));
    const b = compileDefinition(scalarDefinition('x', '    return { out: 1 };'));
    const c = compileDefinition(scalarDefinition('x', '    return { out: 2 };'));
    if (!a.ok || !b.ok || !c.ok) throw new Error('should compile');
    expect(a.definition.revision).toBe(b.definition.revision);
    expect(a.definition.revision).not.toBe(c.definition.revision);
    expect(a.definition.revision).toMatch(/^[0-9a-f]{28}$/);
  });
});
