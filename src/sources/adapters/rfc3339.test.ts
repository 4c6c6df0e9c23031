import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './rfc3339.ts';

describe('parseRfc3339 (Kraken times)', () => {
  it('keeps microseconds', () => {
    // 2023-10-06T17:35:55Z = 1696613755 (python datetime).
    expect(parseRfc3339('2023-10-06T17:35:55.440295Z')).toBeCloseTo(1696613755.440295, 6);
    expect(parseRfc3339('2023-10-06T17:35:55Z')).toBe(1696613755);
    expect(parseRfc3339('2023-10-06T19:35:55.5+02:00')).toBeCloseTo(1696613755.5, 6);
    expect(parseRfc3339('yesterday')).toBeNaN();
  });
});

describe('parseRfc3339 (Coinbase times)', () => {
  it('matches Date.parse to the millisecond and keeps finer digits', () => {
    for (const s of [
      '1970-01-01T00:00:00Z',
      '2000-02-29T23:59:59.999Z',
      '2024-03-01T00:00:00.001Z',
      '2100-03-01T12:00:00Z',
      '2019-08-14T20:42:27.265Z',
    ]) {
      expect(parseRfc3339(s)).toBeCloseTo(Date.parse(s) / 1000, 6);
    }
    expect(
      parseRfc3339('2023-02-09T20:32:50.714964855Z') - Date.UTC(2023, 1, 9, 20, 32, 50) / 1000,
    ).toBeCloseTo(0.714964855, 6);
    expect(parseRfc3339('2023-02-09T20:32:50+01:00')).toBe(Date.UTC(2023, 1, 9, 19, 32, 50) / 1000);
    expect(parseRfc3339('garbage')).toBeNaN();
  });
});
