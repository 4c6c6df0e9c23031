import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLines } from '../core/batch/ByteLines.ts';
import type { PortLike } from './ports.ts';
import { LINE_FAILED, type TextBatch } from './protocol.ts';
import { TextMerger } from './TextMerger.ts';
import { BatchedPortReceiver, BatchedPortTransport } from './Transport.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

interface Item {
  readonly seq: number;
  readonly pos: number;
  readonly text: string;
}

/** A stream's items sealed into batches, cut only between inputs (as a worker flushes). */
function batches(items: readonly Item[], cuts: readonly boolean[]): TextBatch[] {
  const out: TextBatch[] = [];
  let cur: Item[] = [];
  const seal = (up: number): void => {
    const bytes = enc.encode(cur.map((i) => i.text).join(''));
    const ends: number[] = [];
    let at = 0;
    for (const i of cur) ends.push((at += enc.encode(i.text).length));
    out.push({
      t: 'x',
      n0: 0,
      up,
      t0: 0,
      seq: Float64Array.from(cur.map((i) => i.seq)),
      feat: Int32Array.from(cur.map((i) => i.pos)),
      start: 0,
      ends: Int32Array.from(ends),
      bytes,
    });
    cur = [];
  };
  items.forEach((it, k) => {
    cur.push(it);
    const next = items[k + 1];
    if (next !== undefined && next.seq !== it.seq && cuts[k % cuts.length]) seal(it.seq);
  });
  if (cur.length > 0) seal(cur[cur.length - 1]!.seq);
  return out;
}

/** The canonical order, written independently: a stable sort by (seq, position) of all items. */
function expected(streams: readonly (readonly Item[])[], note: (seq: number) => string): string {
  const all = streams.flat();
  const sorted = all
    .map((it, k) => ({ it, k }))
    .sort((a, b) => a.it.seq - b.it.seq || a.it.pos - b.it.pos || a.k - b.k)
    .map((x) => x.it);
  let text = '';
  let last = -1;
  for (const it of sorted) {
    if (it.seq !== last) text += note(it.seq);
    last = it.seq;
    text += it.text;
  }
  return text;
}

const streamArb = fc
  .array(
    fc.record({
      step: fc.integer({ min: 0, max: 2 }),
      pos: fc.integer({ min: 0, max: 4 }),
      text: fc.string({ unit: 'grapheme', maxLength: 6 }),
    }),
    { maxLength: 40 },
  )
  .map((xs) => {
    let seq = 1;
    return xs.map((x, k): Item => {
      seq += x.step;
      return { seq, pos: x.pos, text: `${JSON.stringify({ k, s: seq, p: x.pos, t: x.text })}\n` };
    });
  });

describe('TextMerger', () => {
  it('writes the bytes of every stream in the stable (seq, position, stream) order, with notes before each input', () => {
    fc.assert(
      fc.property(
        fc.array(streamArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        (streams, cuts, order) => {
          const note = (seq: number): string => (seq % 3 === 0 ? `#${seq}\n` : '');
          const merger = new TextMerger(streams.map((_, w) => w * 2));
          const pending = streams.map((s) => batches(s, cuts));
          const ups = streams.map(() => 0);
          const out = new ByteLines(16);
          // Batches arrive interleaved across streams; each release goes up to the lowest
          // watermark, as the collector's does.
          for (let k = 0; pending.some((p) => p.length > 0); k++) {
            const live = pending.map((p, w) => [p, w] as const).filter(([p]) => p.length > 0);
            const [p, w] = live[order[k % order.length]! % live.length]!;
            const b = p.shift()!;
            merger.add(w * 2, b);
            ups[w] = p.length === 0 ? Infinity : b.up;
            expect(merger.release(Math.min(...ups), out, note)).toEqual([]);
          }
          expect(merger.release(Infinity, out, note)).toEqual([]);
          expect(dec.decode(out.bytes.subarray(0, out.length))).toBe(expected(streams, note));
          expect(merger.held).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stops before a refused line and returns every refusal up to the watermark', () => {
    const fail = (line: number): string => `${JSON.stringify({ line, field: 'x', detail: 'bad' })}`;
    const a = batches(
      [
        { seq: 1, pos: 0, text: 'a1\n' },
        { seq: 2, pos: LINE_FAILED, text: fail(9) },
        { seq: 2, pos: 0, text: 'a2\n' },
      ],
      [false],
    );
    const b = batches(
      [
        { seq: 1, pos: 1, text: 'b1\n' },
        { seq: 3, pos: LINE_FAILED, text: fail(4) },
        { seq: 5, pos: LINE_FAILED, text: fail(2) },
      ],
      [false],
    );
    const m = new TextMerger([0, 1]);
    m.add(0, a[0]!);
    m.add(1, b[0]!);
    const out = new ByteLines(16);
    const got = m.release(3, out, () => '');
    expect(dec.decode(out.bytes.subarray(0, out.length))).toBe('a1\nb1\n');
    // Line 2 (seq 5) is past the watermark: the caller will not see it in this release.
    expect(got.map((f) => f.line)).toEqual([9, 4]);
  });

  it('gets only the fresh items of a replayed text batch, with their bytes', async () => {
    const c = new MessageChannel();
    const got: string[] = [];
    const rx = new BatchedPortReceiver(
      c.port2 as unknown as PortLike,
      () => undefined,
      (b) => {
        for (let k = 0; k < b.seq.length; k++) {
          const from = k === 0 ? b.start : b.ends[k - 1]!;
          got.push(`${b.seq[k]}:${dec.decode(b.bytes.subarray(from, b.ends[k]!))}`);
        }
      },
    );
    const tx = new BatchedPortTransport(c.port1 as unknown as PortLike, { codec: 'text' });
    for (const [seq, s] of [
      [1, 'one\n'],
      [2, 'twö\n'],
      [3, 'three\n'],
    ] as const) {
      tx.text!.text(s);
      tx.pushText(seq, 0);
    }
    tx.flush(3, 0);
    await new Promise((r) => setTimeout(r, 20));
    // A restarted receiver whose checkpoint has the first two items: the replay skips them.
    rx.nextN = 2;
    tx.reconnect(c.port1 as unknown as PortLike);
    await new Promise((r) => setTimeout(r, 20));
    c.port1.close();
    c.port2.close();
    expect(got).toEqual(['1:one\n', '2:twö\n', '3:three\n', '3:three\n']);
  });
});
