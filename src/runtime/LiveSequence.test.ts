import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveSequence } from './LiveSequence.ts';

describe('LiveSequence', () => {
  it('numbers strictly increase in a worker and never repeat across the workers of a run, whatever the clock', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.nat(7), fc.nat(2), fc.boolean()), { maxLength: 200 }),
        (workers, steps) => {
          let now = 1_764_280_000_000;
          const seqs = Array.from(
            { length: workers },
            (_, i) => new LiveSequence(i, workers, () => now),
          );
          const last = seqs.map(() => -Infinity);
          const taken = new Set<number>();
          for (const [w0, by, line] of steps) {
            const w = w0 % workers;
            now += by === 2 ? 1 : 0;
            const s = seqs[w]!;
            const n = line ? s.openLine() : s.next();
            expect(n).toBeGreaterThan(last[w]!);
            expect(n).toBeGreaterThanOrEqual(now * 1000);
            expect(((n % workers) + workers) % workers).toBe(w);
            expect(taken.has(n)).toBe(false);
            taken.add(n);
            last[w] = n;
            if (line) {
              // Its events share the line's number until the line closes.
              expect(s.eventSeq()).toBe(n);
              expect(s.eventSeq()).toBe(n);
              s.closeLine();
            }
          }
        },
      ),
    );
  });

  it('an event outside a line takes a fresh number; the watermark follows the clock', () => {
    let now = 1000;
    const s = new LiveSequence(1, 2, () => now);
    const line = s.openLine();
    expect(line).toBe(1_000_001);
    // A gap marker recorded amid the frame's events takes its own number; the events keep the line's.
    expect(s.next()).toBe(1_000_003);
    expect(s.eventSeq()).toBe(line);
    s.closeLine();
    expect(s.eventSeq()).toBe(1_000_005);
    now = 1002;
    expect(s.tick()).toBe(1_002_000);
    expect(s.next()).toBe(1_002_001);
  });
});
