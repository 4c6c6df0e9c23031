import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LineChunk } from './ChunkStore.ts';
import { commonRanges, memoryRanges, sameRanges } from './memoryRanges.ts';

/** A recording of `n` chunks, chunk k's lines at times 10k, 10k + 1, …, 10k + 4. */
const chunkAt = (seq: number): LineChunk => ({
  seq,
  line0: seq * 5,
  lines: ['', '', '', '', ''],
  ts: [0, 1, 2, 3, 4].map((d) => seq * 10 + d),
});

/** Whether time `t` lies in flat ranges `r`. */
const inRanges = (r: readonly number[], t: number) => {
  for (let k = 0; k < r.length; k += 2) if (r[k]! <= t && t <= r[k + 1]!) return true;
  return false;
};

describe('memoryRanges', () => {
  it('covers each held chunk, bridges the gap to a held next chunk, and nothing else', () => {
    fc.assert(
      fc.property(
        // Any order: the window's chunks, then the kept ones, least recently held first.
        fc
          .uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 31 })
          .chain((xs) => fc.shuffledSubarray(xs, { minLength: xs.length })),
        (seqs) => {
          const held = new Set(seqs);
          const r = memoryRanges(seqs.map(chunkAt));
          for (let t = 0; t < 320; t += 0.5) {
            const seq = Math.floor(t / 10);
            const inChunk = t - seq * 10 <= 4;
            // Held: inside a held chunk, or between a held chunk's last line and its held successor.
            const want = held.has(seq) && (inChunk || held.has(seq + 1));
            expect(inRanges(r, t)).toBe(want);
          }
          // Sorted and disjoint: one range per run of consecutive chunks.
          for (let k = 2; k < r.length; k += 2) expect(r[k]!).toBeGreaterThan(r[k - 1]!);
        },
      ),
    );
  });

  it('is one range for a whole recording; empty chunks and none give nothing', () => {
    expect(memoryRanges([3, 1, 0, 2].map(chunkAt))).toEqual([0, 34]);
    expect(memoryRanges([])).toEqual([]);
    expect(memoryRanges([{ seq: 0, line0: 0, lines: [], ts: [] }])).toEqual([]);
  });
});

describe('commonRanges', () => {
  const ranges = fc
    .uniqueArray(fc.integer({ min: 0, max: 100 }), { maxLength: 12 })
    .map((xs) => [...xs].sort((a, b) => a - b))
    .map((xs) => (xs.length % 2 === 0 ? xs : xs.slice(1)));

  it('holds exactly the times every list holds', () => {
    fc.assert(
      fc.property(fc.array(ranges, { minLength: 1, maxLength: 4 }), (lists) => {
        const r = commonRanges(lists);
        for (let t = 0; t <= 100; t += 0.5)
          expect(inRanges(r, t)).toBe(lists.every((l) => inRanges(l, t)));
      }),
    );
  });

  it('of no list is nothing; sameRanges compares flat lists', () => {
    expect(commonRanges([])).toEqual([]);
    expect(sameRanges([1, 2], [1, 2])).toBe(true);
    expect(sameRanges([1, 2], [1, 3])).toBe(false);
    expect(sameRanges(undefined, [])).toBe(false);
  });
});
