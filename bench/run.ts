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
for (const file of files) {
  const bench = (await import(new URL(file, dir).href)).default as Bench;
  if (wanted.length > 0 && !wanted.some((w) => bench.name.includes(w))) continue;
  console.log(`\n## ${bench.name} — ${bench.description}`);
  try {
    await bench.run();
  } catch (error) {
    failed = true;
    console.error(`  FAILED: ${(error as Error).stack ?? error}`);
  }
}
process.exitCode = failed ? 1 : 0;
