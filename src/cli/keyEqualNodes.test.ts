// `featurizer run` of a pipeline document with two identical named nodes (two Feature objects
// with one key in the studio's and the cluster's builds) and a node joining both: seed
// 1739893329's counterexample. `run` builds a document through its config form, which already
// shared key-equal features (this passed before the in-thread graph's fix too): a guard that the
// CLI keeps one meaning, in-thread and on any number of workers: one feature, one upstream.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FIXTURES, tempDir } from '../testing/cli/cliHarness.ts';
import { keyEqualPipeline } from '../testing/core/keyEqualPipeline.ts';
import { main } from './main.ts';

/** main() in this process; returns the exit code, stderr and what `-o -` printed. */
async function run(args: readonly string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const stdout = new PassThrough();
  stdout.on('data', (d) => (out += String(d)));
  const code = await main(['run', ...args], { out: () => {}, err: (t) => void (err += t), stdout });
  return { code, err, out };
}

describe('featurizer run: identical named nodes are one feature', { timeout: 120_000 }, () => {
  it('n2 = join(n0, n1) with n0 ≡ n1: one n2 line per n0 line, the same bytes on any --workers', async () => {
    const config = path.join(tempDir(), 'p.pipeline.json');
    writeFileSync(config, JSON.stringify(keyEqualPipeline()));
    const args = ['-c', config, '-i', `${FIXTURES}/input.ndjson`, '-o', '-', '-f', 'ndjson', '-q'];

    const inThread = await run(args);
    expect([inThread.code, inThread.err]).toEqual([0, '']);
    const count = (name: string): number =>
      inThread.out.split('\n').filter((l) => l.startsWith(`{"feature":"${name}"`)).length;
    expect(count('n0')).toBeGreaterThan(100);
    expect(count('n1')).toBe(count('n0'));
    expect(count('n2')).toBe(count('n0'));
    for (const w of ['2', '3']) {
      const onWorkers = await run([...args, '--workers', w]);
      expect([w, onWorkers.code, onWorkers.err]).toEqual([w, 0, '']);
      expect(onWorkers.out).toBe(inThread.out);
    }
  });
});
