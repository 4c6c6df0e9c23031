import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLines } from './ByteLines.ts';
import { ByteRunCopier } from './ByteRunCopier.ts';

/** Three source buffers of distinct bytes, so a range copied from the wrong place shows. */
const sources = [0, 1, 2].map((s) => Uint8Array.from({ length: 64 }, (_, i) => s * 64 + i));

/** One step: a range of a source, text written directly (after a flush), or a flush. */
type Op =
  | { readonly t: 'range'; readonly s: number; readonly a: number; readonly n: number }
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'flush' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ s: fc.nat(2), a: fc.nat(63), n: fc.nat(8) })
      .map((r) => ({ t: 'range' as const, ...r, n: Math.min(r.n, 64 - r.a) })),
  },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 3 }).map((text) => ({ t: 'text' as const, text })),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'flush' as const }) },
);

/** A ByteLines that counts the copies made into it (each `reserve` before a `set`). */
class CountingLines extends ByteLines {
  reserves = 0;
  override reserve(n: number): void {
    this.reserves++;
    super.reserve(n);
  }
}

describe('ByteRunCopier', () => {
  it('writes exactly the ranges in order, whatever joins, flushes and growth (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.integer({ min: 1, max: 32 }), (ops, cap) => {
        const out = new ByteLines(cap);
        const runs = new ByteRunCopier();
        const want: number[] = [];
        for (const o of ops) {
          if (o.t === 'range') {
            runs.add(sources[o.s]!, o.a, o.a + o.n, out);
            want.push(...sources[o.s]!.subarray(o.a, o.a + o.n));
          } else if (o.t === 'text') {
            runs.flush(out);
            out.text(o.text);
            want.push(...Buffer.from(o.text, 'utf8'));
          } else runs.flush(out);
        }
        runs.flush(out);
        expect([...out.bytes.subarray(0, out.length)]).toEqual(want);
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('joins ranges that continue each other in one buffer into one copy, and only those', () => {
    const out = new CountingLines(4);
    const runs = new ByteRunCopier();
    const [a, b] = [sources[0]!, sources[1]!];
    runs.add(a, 0, 3, out);
    runs.add(a, 3, 5, out);
    runs.add(a, 5, 9, out);
    expect(out.reserves).toBe(0); // nothing copied yet: the run may go on
    runs.add(a, 10, 12, out); // a hole: the run ends
    runs.add(b, 12, 14, out); // another buffer at the same offset: not a continuation
    runs.flush(out);
    runs.flush(out); // nothing pending: no copy
    expect(out.reserves).toBe(3);
    expect([...out.bytes.subarray(0, out.length)]).toEqual([
      ...a.subarray(0, 9),
      ...a.subarray(10, 12),
      ...b.subarray(12, 14),
    ]);
  });
});
