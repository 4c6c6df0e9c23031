import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHEAP_COPY_MS, COPY_SHARE, CopyBudget } from './CopyBudget.ts';

/** Copies offered at `times` (ascending), each costing `cost(k)` ms: which were made. */
function run(times: readonly number[], cost: (k: number) => number) {
  const b = new CopyBudget();
  const made: { at: number; cost: number }[] = [];
  let busyUntil = -Infinity;
  for (const [k, t] of times.entries()) {
    const at = Math.max(t, busyUntil);
    if (!b.allows(at)) continue;
    const c = cost(k);
    b.spent(at, c);
    made.push({ at, cost: c });
    busyUntil = at + c;
  }
  return made;
}

describe('CopyBudget', () => {
  it('never puts off a cheap copy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: CHEAP_COPY_MS - 0.001, noNaN: true }),
        (gaps, cost) => {
          const times = gaps.map((_, k) => gaps.slice(0, k + 1).reduce((a, b) => a + b, 0));
          expect(run(times, () => cost)).toHaveLength(times.length);
        },
      ),
    );
  });

  it('costly copies take at most the share of the time from the first copy to the last one’s end, plus one copy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.1, max: 200, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.double({ min: CHEAP_COPY_MS, max: 100, noNaN: true }), { minLength: 1 }),
        (gaps, costs) => {
          const times = gaps.map((_, k) => gaps.slice(0, k + 1).reduce((a, b) => a + b, 0));
          const made = run(times, (k) => costs[k % costs.length]!);
          expect(made.length).toBeGreaterThan(0);
          const last = made.at(-1)!;
          const span = last.at + last.cost - made[0]!.at;
          const spent = made.reduce((a, m) => a + m.cost, 0);
          expect(spent).toBeLessThanOrEqual(COPY_SHARE * span + last.cost + 1e-9);
        },
      ),
    );
  });

  it('a costly copy puts the next off until cost / share after it began; a cheap one lifts that', () => {
    const b = new CopyBudget();
    expect(b.allows(0)).toBe(true);
    b.spent(100, 40);
    expect(b.allows(100 + 40 / COPY_SHARE - 1)).toBe(false);
    expect(b.allows(100 + 40 / COPY_SHARE)).toBe(true);
    b.spent(600, 1);
    expect(b.allows(600.5)).toBe(true);
  });
});
