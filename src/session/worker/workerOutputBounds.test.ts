import { describe, expect, it } from 'vitest';
import { runLines } from '../../core/batch/runLines.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { runWorkers } from '../../runtime/runWorkers.ts';
import { multiFeatures, simulatedLines } from '../../testing/sources/multiPipeline.ts';

const entry = new URL('./nodeStreamWorker.ts', import.meta.url);
/** Every partition on a worker thread, or partition 0 on this thread (`featurizer run`'s layout). */
const layouts = {
  threads: nodePlatform(entry),
  'partition 0 here': nodePlatform(entry, undefined, (i) => i === 0),
};
const FEED_BATCH = 256;
/**
 * Input batches one worker can have taken while its output is stuck, by the credit rules (not by
 * timing): 8 input credits, 8 results batches in flight, the results of the (at most 8) input
 * batches it still processes once its results wait (it withholds input credits from then on), and
 * one batch each being sent and being written. Under load the first results batches leave before
 * the write blocks, so the figure reached varies between runs; this bound does not.
 */
const BATCHES_PER_WORKER = 3 * 8 + 2;

describe('--workers output as bytes (writeBytes)', () => {
  it.each(Object.keys(layouts) as (keyof typeof layouts)[])(
    'stops reading while the output cannot be written, and writes the in-thread bytes (%s)',
    async (layout) => {
      const platform = layouts[layout];
      const features = multiFeatures();
      const lines = simulatedLines(40_000);
      const chunks: Uint8Array[] = [];
      let unblock: () => void = () => undefined;
      const blocked = new Promise<void>((r) => (unblock = r));
      let fed: () => number = () => 0;
      let fedWhileBlocked = -1;
      const run = runWorkers(features, lines, platform, {
        format: 'ndjson',
        strategy: { kind: 'per-source' },
        budget: { hardwareConcurrency: 2, maxWorkers: 2 },
        feedBatch: FEED_BATCH,
        onStarted: (_m, f) => (fed = f),
        writeBytes: async (bytes, length) => {
          // The caller reuses `bytes` once this resolves: keep a copy.
          chunks.push(bytes.slice(0, length));
          if (chunks.length === 1) {
            // Output stuck: wait until the run stops feeding (it must, well before the end).
            let last = -1;
            while (fed() !== last) {
              last = fed();
              await new Promise((r) => setTimeout(r, 100));
            }
            fedWhileBlocked = fed();
            unblock();
          }
          await blocked;
        },
      });
      const res = await run;
      expect(res.output).toBe('');
      // Reading stopped well before the end: what the credits allow per worker, not the input.
      expect(fedWhileBlocked).toBeGreaterThan(0);
      expect(fedWhileBlocked).toBeLessThanOrEqual(2 * BATCHES_PER_WORKER * FEED_BATCH);
      expect(res.events).toBeGreaterThan(2 * 2 * BATCHES_PER_WORKER * FEED_BATCH);
      // Handed over in pieces of about 64 KiB, whole lines each.
      expect(chunks.length).toBeGreaterThan(5);
      for (const c of chunks.slice(0, -1)) {
        expect(c.length).toBeGreaterThanOrEqual(1 << 16);
        expect(c[c.length - 1]).toBe(10);
      }
      const text = new TextDecoder().decode(Buffer.concat(chunks));
      expect(text).toBe(runLines(features, lines.join('\n'), { format: 'ndjson' }).output);
    },
    60_000,
  );
});
