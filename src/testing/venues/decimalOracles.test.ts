import { describe, expect, it } from 'vitest';
import { canonicalDecimal, numberToDecimal } from './decimalOracles.ts';

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
    }
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
