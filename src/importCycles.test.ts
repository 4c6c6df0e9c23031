// Keeps the module graph free of circles: walks every static import and re-export under src/ and
// tools/ (type-only ones included: a type circle is still two files that cannot be read apart)
// and fails on any circle not in KNOWN_CYCLES. Dynamic `import()` and `new URL(…)` worker
// entries are not edges: they load lazily, and a worker entry naming its own file is no circle.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIRS = ['src', 'tools'];

/**
 * Circles that predate this test, each as its files (relative to the root). The test fails if a
 * circle appears that is not one of these, or one of these grows; remove an entry once broken.
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [
  // The definition contract and the feature model name each other's types.
  ['src/core/definitions/DataDefinition.ts', 'src/core/feature/Feature.ts'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((f) => !f.split(path.sep).includes('node_modules'));
}

/** The relative specifiers `file` imports or re-exports statically. */
function staticSpecifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const s of sf.statements) {
    if (
      (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
      s.moduleSpecifier &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text.startsWith('.')
    )
      out.push(s.moduleSpecifier.text);
  }
  return out;
}

/** The import graph over `files`: file → files it imports (relative to ROOT). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets: string[] = [];
    for (const spec of staticSpecifiers(file)) {
      const base = path.resolve(path.dirname(file), spec.replace(/\?.*$/, ''));
      const hit = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) =>
        known.has(c),
      );
      if (hit) targets.push(path.relative(ROOT, hit));
    }
    graph.set(path.relative(ROOT, file), targets);
  }
  return graph;
}

/** Strongly connected components with a circle (two or more files, or a file importing itself). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  // Iterative Tarjan: the graph has hundreds of files, recursion depth is not a worry, but an
  // explicit stack keeps it obviously bounded.
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const edges = graph.get(top.v) ?? [];
      if (top.i < edges.length) {
        const w = edges[top.i++]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) === index.get(top.v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.v);
        if (scc.length > 1 || edges.includes(top.v)) found.push(scc.sort());
      }
    }
  }
  return found;
}

describe('import circles', { timeout: 30_000 }, () => {
  let repoGraph: Map<string, string[]> | undefined;
  const repo = () =>
    (repoGraph ??= importGraph(DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)))));

  it('finds circles, and only circles, in a small graph', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', ['e']],
      ['e', []],
      ['f', ['f']],
      ['g', ['e']],
    ]);
    expect(cycles(graph).sort()).toEqual([['a', 'b', 'c'], ['f']]);
    expect(cycles(new Map([['x', ['y']]]))).toEqual([]);
  });

  it('sees type-only imports and re-exports, not dynamic imports', () => {
    const graph = repo();
    // runCommand imports CliIo as a type only, and loads the worker runtime with import().
    expect(graph.get('src/cli/runCommand.ts')).toContain('src/cli/CliIo.ts');
    expect(graph.get('src/cli/runCommand.ts')).not.toContain('src/runtime/runWorkers.ts');
    // The re-export of BatchFormat.
    expect(graph.get('src/core/batch/BatchRunner.ts')).toContain('src/core/batch/OutputWriter.ts');
    // tools/ is walked too, and a worker entry's `new URL('./self.ts')` comment is no edge.
    expect(graph.get('tools/exchange-sim/VenueModule.ts')).toContain(
      'tools/exchange-sim/connection.ts',
    );
    expect(graph.get('src/recording/recorderWorker.ts')).not.toContain(
      'src/recording/recorderWorker.ts',
    );
    expect(graph.size).toBeGreaterThan(300);
  });

  it('src/ and tools/ have no circle beyond the known ones', () => {
    const grown = cycles(repo()).filter(
      (scc) => !KNOWN_CYCLES.some((known) => scc.every((f) => known.includes(f))),
    );
    expect(grown).toEqual([]);
  });
});
