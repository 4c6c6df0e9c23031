import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../storage/db.ts';
import { RecordingWriter } from './RecordingWriter.ts';
import type { LineHead, PackedItems } from './lineHead.ts';
import { ITEM_KINDS } from './recordingProtocol.ts';

let n = 0;
const NAMES = ['SIM', 'KRAKEN', 'BTC-USDT', 'ETH-USD'];

/** One packed item: kind 0 an output, else a line of ITEM_KINDS[kind]. */
const item = fc.record({
  kind: fc.integer({ min: 0, max: 4 }),
  ts: fc.oneof(
    fc.double({ min: 1000, max: 1010, noNaN: true }),
    fc.constantFrom(1005, -0, 0, Number.NaN, Number.POSITIVE_INFINITY),
  ),
  venue: fc.integer({ min: 0, max: 1 }),
  symbol: fc.integer({ min: -1, max: 3 }),
  text: fc.string({ maxLength: 6 }),
});

/** Calls of the recorder: a range of the run, then maybe a wait (microtasks or a timer turn). */
const call = fc.record({
  size: fc.integer({ min: 0, max: 12 }),
  wait: fc.constantFrom('none', 'microtasks', 'flush', 'timer'),
});

async function record(
  items: readonly { kind: number; ts: number; venue: number; symbol: number; text: string }[],
  calls: readonly { size: number; wait: string }[],
  maxLines: number,
  outputs: boolean,
  bulk: boolean,
) {
  const db = await openStudioDb(`items-${++n}-${Math.random()}`);
  const w = await RecordingWriter.create(db, {
    id: 'r',
    name: 'r',
    maxLines,
    maxMs: 1,
    outputs: true,
    now: () => 7,
  });
  const run: PackedItems = {
    texts: items.map((it, i) => `${it.text}#${i}`),
    ts: Float64Array.from(items.map((it) => it.ts)),
    kind: Uint8Array.from(items.map((it) => it.kind)),
    venue: Int32Array.from(items.map((it) => it.venue)),
    symbol: Int32Array.from(items.map((it) => it.symbol)),
    names: NAMES,
  };
  let at = 0;
  for (const c of [...calls, { size: items.length, wait: 'none' }]) {
    const to = Math.min(items.length, at + c.size);
    if (bulk) w.itemsOf(run, at, to, outputs);
    else {
      // What the recorder did item by item before itemsOf.
      for (let i = at; i < to; i++) {
        const k = run.kind[i]!;
        if (k === 0) {
          if (outputs) w.outputText(run.texts[i]!);
          continue;
        }
        const y = run.symbol[i]!;
        w.lineOf(
          run.texts[i]!,
          run.ts[i]!,
          NAMES[run.venue[i]!]!,
          y >= 0 ? NAMES[y] : undefined,
          ITEM_KINDS[k] as LineHead['kind'],
        );
      }
    }
    at = to;
    if (c.wait === 'microtasks') for (let k = 0; k < 5; k++) await Promise.resolve();
    else if (c.wait === 'flush') await w.flush();
    else if (c.wait === 'timer') await new Promise((r) => setTimeout(r, 3));
  }
  const meta = await w.close();
  const range = IDBKeyRange.bound(['r', 0], ['r', Infinity]);
  const chunks = await db.getAll('recordingChunks', range);
  const outs = await db.getAll('recordingOutputs', range);
  db.close();
  return { meta, chunks, outs };
}

describe('RecordingWriter.itemsOf', () => {
  it('stores what lineOf and outputText store item by item: same chunks, outputs and metadata', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { maxLength: 40 }),
        fc.array(call, { maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        async (items, calls, maxLines, outputs) => {
          const one = await record(items, calls, maxLines, outputs, false);
          const bulk = await record(items, calls, maxLines, outputs, true);
          expect(bulk.chunks).toEqual(one.chunks);
          expect(bulk.outs).toEqual(one.outs);
          expect(bulk.meta).toEqual(one.meta);
          // Not vacuous: every line is stored, in order.
          const lines = items.flatMap((it, i) => (it.kind === 0 ? [] : [`${it.text}#${i}`]));
          expect(bulk.chunks.flatMap((c) => c.lines)).toEqual(lines);
        },
      ),
      { numRuns: 60 },
    );
  });
});
