import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, type Exact, exact, int, mul, ratio, sign, sub, toNumber } from './exactReference.ts';

describe('exactReference', () => {
  it('reads the exact binary value of a double, not its decimal', () => {
    // 0.1 is 3602879701896397 · 2⁻⁵⁵ exactly.
    const same = (a: Exact, b: Exact): boolean => sign(sub(a, b)) === 0;
    expect(same(exact(0.1), { m: 3602879701896397n, e: -55 })).toBe(true);
    expect(same(exact(0.1), { m: 3602879701896398n, e: -55 })).toBe(false);
    expect(same(exact(-3), int(-3))).toBe(true);
    expect(sign(exact(0))).toBe(0);
    expect(same(exact(5e-324), { m: 1n, e: -1074 })).toBe(true);
    // 0.1 + 0.2 exactly is not the double 0.3, nor the double 0.30000000000000004.
    const s = add(exact(0.1), exact(0.2));
    expect(sign(sub(s, exact(0.3)))).toBe(1);
    expect(sign(sub(s, exact(0.30000000000000004)))).toBe(-1);
  });

  it('round-trips every finite double and divides to within an ulp', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(toNumber(exact(x))).toBe(x === 0 ? 0 : x);
      }),
    );
    expect(ratio(int(1), int(3))).toBe(1 / 3);
    expect(ratio(int(-2), int(3))).toBe(-2 / 3);
    expect(ratio(mul(exact(1e300), exact(1e300)), exact(1e300))).toBe(1e300);
    expect(() => ratio(int(1), int(0))).toThrow(/division by zero/);
  });
});
