import { describe, expect, it } from 'vitest';
import { formatDecimal, isDecimal } from './decimal.ts';

describe('isDecimal', () => {
  it('accepts number lexemes and rejects what is not one', () => {
    for (const good of ['8477', '-0.0', '+08477.50', '2e-8', '1.5E+3', '.5']) {
      expect(isDecimal(good)).toBe(true);
    }
    for (const bad of ['', '-', '.', 'abc', '1.2.3', '1e', '1e+', '0x10', '1 ']) {
      expect(isDecimal(bad)).toBe(false);
    }
  });
});

describe('formatDecimal', () => {
  it('pads to the precision (Kraken v2 wire text)', () => {
    expect(formatDecimal('0.566', 4)).toBe('0.5660');
    expect(formatDecimal('18097.1547', 8)).toBe('18097.15470000');
    expect(formatDecimal('45281', 1)).toBe('45281.0');
    expect(formatDecimal('0.10000000', 8)).toBe('0.10000000');
    expect(formatDecimal('1e-08', 8)).toBe('0.00000001');
    expect(formatDecimal('12', 0)).toBe('12');
  });

  it('rounds half away from zero with string arithmetic', () => {
    expect(formatDecimal('0.12345', 4)).toBe('0.1235');
    expect(formatDecimal('0.12344', 4)).toBe('0.1234');
    expect(formatDecimal('9.99995', 4)).toBe('10.0000');
    expect(formatDecimal('-2.5', 0)).toBe('-3');
    expect(formatDecimal('-0.00004', 4)).toBe('0.0000');
    expect(formatDecimal('0.00005', 4)).toBe('0.0001');
    expect(formatDecimal('0.000001', 2)).toBe('0.00');
  });

  it('stays exact beyond float precision', () => {
    expect(formatDecimal('12345678901234567.12345678', 8)).toBe('12345678901234567.12345678');
    expect(formatDecimal('99999999999999999.99', 1)).toBe('100000000000000000.0');
  });

  it('rejects bad input', () => {
    expect(formatDecimal('x', 2)).toBeUndefined();
    expect(formatDecimal('1.5', -1)).toBeUndefined();
    expect(formatDecimal('1.5', 1.5)).toBeUndefined();
  });
});
