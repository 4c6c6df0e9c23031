import * as esbuild from 'esbuild';
const r = await esbuild.build({ entryPoints: ['src/ui/main.tsx'], bundle: true, write: false, format: 'esm', metafile: true, loader: { '.css': 'empty', '.svg': 'dataurl' }, logLevel: 'error', jsx: 'automatic', external: ['*?worker', '*?url', '*?worker&url'] });
const ins = r.metafile.inputs;
const parents = new Map();
for (const [f, v] of Object.entries(ins)) for (const i of v.imports) { if (i.kind !== 'import-statement') continue; if (!parents.has(i.path)) parents.set(i.path, []); parents.get(i.path).push(f); }
for (const target of process.argv.slice(2)) {
  const start = Object.keys(ins).find((f) => f.includes(target));
  // BFS up to entry
  const prev = new Map([[start, null]]); const q = [start];
  while (q.length) { const c = q.shift(); if (c === 'src/ui/main.tsx') break; for (const p of parents.get(c) ?? []) if (!prev.has(p)) { prev.set(p, c); q.push(p); } }
  let c = 'src/ui/main.tsx'; const chain = [];
  if (!prev.has(c)) { console.log(target, 'not statically reachable'); continue; }
  while (c) { chain.push(c); c = prev.get(c); }
  console.log(target + ':\n  ' + chain.join('\n  → '));
}
