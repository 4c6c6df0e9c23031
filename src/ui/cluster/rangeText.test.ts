import { describe, expect, it } from 'vitest';
import { parseUtcText, utcText } from './rangeText.ts';

describe('range fields', () => {
  it('show a receipt time in UTC, the start rounded down and the end rounded up', () => {
    // 1717200000.014152 s is 2024-06-01 00:00:00.014152 UTC.
    expect(utcText(1717200000.014152, 'down')).toBe('2024-06-01 00:00:00.014');
    expect(utcText(1717200000.014152, 'up')).toBe('2024-06-01 00:00:00.015');
    expect(utcText(1717200000, 'up')).toBe('2024-06-01 00:00:00.000');
  });

  it('read what they show back, as UTC, and refuse anything else', () => {
    expect(parseUtcText('2024-06-01 00:00:00.014')).toBe(1717200000.014);
    expect(parseUtcText('2024-06-01T00:01Z')).toBe(1717200060);
    expect(parseUtcText(' 2024-06-01 00:00:30 ')).toBe(1717200030);
    expect(parseUtcText('yesterday')).toBe(undefined);
    expect(parseUtcText('2024-13-01 00:00')).toBe(undefined);
    expect(parseUtcText('')).toBe(undefined);
  });
});
