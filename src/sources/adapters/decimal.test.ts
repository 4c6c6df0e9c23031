import { describe, expect, it } from 'vitest';
import { canonicalDecimal, formatDecimal, isDecimal, numberToDecimal } from './decimal.ts';

describe('canonicalDecimal', () => {
  it('gives one spelling per value', () => {
    expect(canonicalDecimal('8477')).toBe('8477');
    expect(canonicalDecimal('8477.0')).toBe('8477');
    expect(canonicalDecimal('+08477.50')).toBe('8477.5');
    expect(canonicalDecimal('0.10000000')).toBe('0.1');
    expect(canonicalDecimal('-0.0')).toBe('0');
    expect(canonicalDecimal('-1.250')).toBe('-1.25');
    expect(canonicalDecimal('1200')).toBe('1200');
  });

  it('expands exponents', () => {
    expect(canonicalDecimal('2e-8')).toBe('0.00000002');
    expect(canonicalDecimal('1.5E+3')).toBe('1500');
    expect(canonicalDecimal('12.5e-1')).toBe('1.25');
  });

  it('rejects what is not a decimal', () => {
    for (const bad of ['', '-', '.', 'abc', '1.2.3', '1e', '1e+', '0x10', '1 ']) {
      expect(canonicalDecimal(bad)).toBeUndefined();
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

describe('numberToDecimal', () => {
  it('writes numbers without exponent', () => {
    expect(numberToDecimal(1e-7)).toBe('0.0000001');
    expect(numberToDecimal(0.5666)).toBe('0.5666');
    expect(numberToDecimal(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimal(NaN)).toBeUndefined();
  });
});
