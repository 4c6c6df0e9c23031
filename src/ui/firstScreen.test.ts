import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue #14, a light page: what the first screen needs is main.tsx's static import graph (the
// entry chunk and its modulepreloads); everything else loads at an `import()` boundary. The
// bench (`npm run bench -- page`) measures the bytes; this names what must never come back in,
// so a stray static import fails here, naming its path, before the budget is blown.

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = 'src/ui/main.tsx';

/** Static imports and re-exports of a module (type-only ones erased, `import()` left out). */
function staticSpecifiers(code: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) if (!m[1]) out.push(m[2]!);
  return out;
}

/** Every module of the entry's static graph: repo paths, and bare package names. */
function firstScreenGraph(): { files: Map<string, string>; packages: Map<string, string> } {
  const files = new Map<string, string>([[ENTRY, '']]); // module → who imports it
  const packages = new Map<string, string>();
  const queue = [ENTRY];
  while (queue.length > 0) {
    const from = queue.shift()!;
    for (const spec of staticSpecifiers(readFileSync(path.join(ROOT, from), 'utf8'))) {
      if (/\.css$/.test(spec)) continue; // styles are not script
      if (!spec.startsWith('.')) {
        const pkg = /^(@[^/]+\/[^/]+|[^/]+)/.exec(spec)![1]!;
        if (!packages.has(pkg)) packages.set(pkg, from);
        continue;
      }
      const file = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, from)), spec));
      if (/\.(svg|png)$/.test(file) || files.has(file)) continue;
      files.set(file, from);
      queue.push(file);
    }
  }
  return { files, packages };
}

describe("the first screen's script", () => {
  const { files, packages } = firstScreenGraph();
  const via = (m: Map<string, string>, k: string) => `${k} ← ${m.get(k)}`;

  it('parses the graph it guards (React, the studio, the palette are in it)', () => {
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['react', 'react-dom', 'zustand']));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['src/ui/studio.ts', 'src/ui/panels/Palette.tsx']),
    );
  });

  it('holds none of the packages that load on demand', () => {
    const lazy = ['@xyflow/react', 'uplot', 'elkjs', 'yaml', 'comlink', 'idb', 'hyparquet-writer'];
    const more = ['codemirror', '@codemirror/view', 'sucrase', 'acorn', '@nats-io/nats-core'];
    expect([...lazy, ...more].filter((p) => packages.has(p)).map((p) => via(packages, p))).toEqual(
      [],
    );
  });

  it('holds neither the canvas, the runners, the replay engine, the venue adapters nor the definitions', () => {
    const heavy = [...files.keys()].filter(
      (f) =>
        f.startsWith('src/ui/canvas/PipelineCanvas') ||
        f.startsWith('src/ui/dashboard/Dashboard.') ||
        f.startsWith('src/runtime/StreamManager') ||
        f.startsWith('src/sources/adapters/') ||
        /^src\/session\/(WorkerRunner|InThreadRunner|ReplayEngine|ReplayRunner)\.ts$/.test(f) ||
        f === 'src/core/config/PipelineDoc.ts' ||
        // The definitions and their schemas (27 kB): the palette lists `paletteCatalog.ts`; adding a
        // node, and naming the nodes a user feature failed in, load them on demand.
        f === 'src/core/definitions/registry.ts' ||
        f === 'src/core/params/ParamSchema.ts' ||
        f === 'src/ui/state/addNode.ts' ||
        f === 'src/ui/userdefs/userFailures.ts',
    );
    expect(
      heavy.filter((f) => f !== 'src/sources/adapters/exchangeIds.ts').map((f) => via(files, f)),
    ).toEqual([]);
  });
});
