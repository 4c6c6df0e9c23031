import { describe, expect, it } from 'vitest';
import { decimalToNumber, num } from './venueSupport.ts';

describe('decimalToNumber', () => {
  it('equals +text for plain decimals and everything else', () => {
    const odd = ['.', '5.', '.5', '0', '00012', '1e5', ' 5', '-1', '+1', '0x10', '1..2', 'NaN'];
    const edges = ['9007199254740991', '9007199254740993', '90071992547409.93', '1.005'];
    const tiny = ['0.0000000000000000000001', '0.00000000000000000000001', '1'.repeat(30)];
    for (const t of [...odd, ...edges, ...tiny]) expect(decimalToNumber(t)).toBe(+t);
    let seed = 1;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 20000; i++) {
      const t = (rnd() * 10 ** Math.floor(rnd() * 14)).toFixed(Math.floor(rnd() * 12));
      expect(decimalToNumber(t)).toBe(+t);
    }
  });

  it('keeps num() strict about empty strings', () => {
    expect(num('')).toBeNaN();
    expect(num('63999.70000000')).toBe(63999.7);
  });
});
