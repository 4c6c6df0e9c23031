import { faultMidRun } from '../../testing/runtime/faultMidRun.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { runWorkers } from '../../runtime/runWorkers.ts';
import { fixtureLines, multiFeatures } from '../../testing/sources/testPipeline.ts';

// `featurizer run --workers N` reads a plain file as chunks of UTF-8 bytes: the main thread routes
// lines from their bytes and each worker decodes its own. Fed so, a run must give exactly what the
// same lines fed as strings give (output bytes, or the error naming the same line and field).
const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const budget = { hardwareConcurrency: 2, maxWorkers: 2 };
const features = multiFeatures();
const lines = fixtureLines();
const enc = new TextEncoder();

/** `input` as shared byte chunks of whole lines, cut after the given line indexes. */
function chunks(input: readonly string[], cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const to of [...at, input.length]) {
    if (to <= from) continue;
    const text = input.slice(from, to).join('\n') + (to < input.length ? '\n' : '');
    const b = enc.encode(text);
    const shared = new Uint8Array(new SharedArrayBuffer(b.length));
    shared.set(b);
    out.push(shared);
    from = to;
  }
  return out;
}

async function* each<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

type Outcome = { output: string; events: number } | { error: string };

/** Lines the main thread parsed in the last successful {@link outcome}. */
let parsedHere = 0;

async function outcome(
  input: AsyncIterable<string | readonly string[] | Uint8Array>,
  format: 'ndjson' | 'csv',
  feedBatch?: number,
): Promise<Outcome> {
  try {
    const r = await runWorkers(features, input, platform, {
      format,
      strategy: { kind: 'per-source' },
      budget,
      ...(feedBatch ? { feedBatch } : {}),
    });
    parsedHere = r.parsedHere;
    return { output: r.output, events: r.events };
  } catch (e) {
    return { error: String(e) };
  }
}

/** Hostile edits: what the byte scan must give up on, or hand to a worker that refuses it. */
const EDITS: ((l: string) => string)[] = [
  (l) => `${l.slice(0, -1)},"symbol":"ETH-USDT"}`, // a duplicate key (JSON.parse keeps the last)
  (l) => l.replace('"timestamp":', '"timestamp":1,"timestamp":'),
  (l) => l.replace('USDT', 'US\\u0044T'), // an escape in the head
  (l) => l.replace('"receipt_timestamp"', '"r\\u0065ceipt_timestamp"'),
  (l) => l.replace(/"id":"[^"]*"/, '"id":"ü€😀"'), // non-ASCII where it is allowed
  (l) => `\uFEFF${l}`, // a BOM
  (l) => `${l.slice(0, 40)}\uFFFD${l.slice(41)}`,
  (l) => l.replace('"side":"', '"side":"x'), // refused by its worker
  () => '',
  () => '   ',
  () =>
    '{"gap":{"exchange":"SIM","symbol":"BTC-USDT","channel":"l2_book","reason":"sequence","receipt_timestamp":1}}',
  (l) => l.replace(/"timestamp":[0-9.]+/, '"timestamp":1e9'),
];

describe('runWorkers fed UTF-8 byte chunks', () => {
  it('gives the output it gives fed the same lines as strings, NDJSON and CSV', async () => {
    for (const format of ['ndjson', 'csv'] as const) {
      const want = await outcome(each([lines]), format);
      expect('output' in want && want.output.length).toBeGreaterThan(1000);
      const got = await outcome(each(chunks(lines, [7, 300, 301, 900])), format);
      expect(got).toEqual(want);
      // Only the first line of each head is read as text here: the rest go to the workers as bytes.
      const heads = new Set(lines.map((l) => l.slice(0, l.indexOf('"timestamp"'))));
      expect(parsedHere).toBeLessThanOrEqual(heads.size);
      // A batch sent before its chunk is done (feedBatch) shares that chunk with the next one.
      expect(await outcome(each(chunks(lines, [500])), format, 64)).toEqual(want);
    }
  }, 60_000);

  it('agrees on hostile lines: same output, or the same error naming the same line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: lines.length - 1 }), fc.nat({ max: EDITS.length - 1 })), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (edits, cuts) => {
          const input = [...lines];
          for (const [i, k] of edits) input[i] = EDITS[k]!(input[i]!);
          const want = await outcome(each([input]), 'ndjson');
          expect(await outcome(each(chunks(input, cuts)), 'ndjson')).toEqual(want);
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);

  it('recovers a source worker killed mid-run from its retained chunks, output unchanged', async () => {
    const input = chunks(lines, [100, 200, 300, 400, 500, 600, 700, 800]);
    const want = await outcome(each(input), 'ndjson', 32);
    const fault = faultMidRun(0, 'terminate', lines.length);
    const r = await runWorkers(features, each(input), platform, {
      format: 'ndjson',
      strategy: { kind: 'per-source' },
      budget,
      feedBatch: 32,
      ...fault.options,
    });
    expect(fault.faulted()).toBe(true);
    expect({ output: r.output, events: r.events }).toEqual(want);
    await new Promise((res) => setTimeout(res, 250));
    expect(fault.events).toContain('recovered');
  }, 60_000);
});
