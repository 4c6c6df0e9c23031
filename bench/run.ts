// `npm run bench [-- name…]`: run every bench/*.bench.ts (or those whose name matches an argument),
// one after another in this process. Benchmarks print; they are not tests.
import { readdirSync } from 'node:fs';
import type { Bench } from './harness.ts';

const dir = new URL('.', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const wanted = process.argv.slice(2);
let failed = false;
const benches: Bench[] = [];
for (const file of files) benches.push((await import(new URL(file, dir).href)).default as Bench);
// An argument that names a bench exactly picks that bench alone (`workers` is not also
// `replay-workers`); any other argument picks every bench whose name contains it.
const picks = (name: string, w: string) =>
  benches.some((b) => b.name === w) ? name === w : name.includes(w);
for (const bench of benches) {
  if (wanted.length > 0 && !wanted.some((w) => picks(bench.name, w))) continue;
  console.log(`\n## ${bench.name} — ${bench.description}`);
  try {
    await bench.run();
  } catch (error) {
    failed = true;
    console.error(`  FAILED: ${(error as Error).stack ?? error}`);
  }
}
process.exitCode = failed ? 1 : 0;
