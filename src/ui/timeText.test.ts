import { describe, expect, it } from 'vitest';
import { chartDateFormat, clockText, dateTimeText } from './timeText.ts';

// 2026-12-04T19:10:02.345Z
const T = Date.UTC(2026, 11, 4, 19, 10, 2, 345) / 1000;

describe('time text', () => {
  it('shows UTC when asked, to the millisecond', () => {
    expect(clockText(T, true, true)).toMatch(/^19.10.02\.345$/);
    expect(clockText(T, false, true)).toMatch(/^19.10.02$/);
    expect(dateTimeText(T * 1000, true)).toMatch(/19.10.02 UTC$/);
  });

  it('shows the browser time zone by default, 24-hour', () => {
    const local = new Date(T * 1000);
    const hh = String(local.getHours()).padStart(2, '0');
    expect(clockText(T)).toMatch(new RegExp(`^${hh}.10.02$`));
  });

  it('formats chart ticks by what their template shows', () => {
    const d = new Date(2026, 11, 4, 9, 5, 7, 250);
    expect(chartDateFormat('{h}:{mm}{aa}')(d)).toMatch(/^09.05$/);
    expect(chartDateFormat(':{ss}.{fff}')(d)).toBe(':07.250');
    expect(chartDateFormat('{M}/{D}')(d)).toMatch(/Dec|12/);
    // Two rows stay two rows (uPlot draws the second under the first).
    expect(chartDateFormat(':{ss}.{fff}\n{M}/{D}/{YY} {h}:{mm}{aa}')(d).split('\n')).toHaveLength(
      2,
    );
    expect(chartDateFormat(':{ss}.{fff}\n{M}/{D}/{YY} {h}:{mm}{aa}')(d)).toMatch(
      /^:07\.250\n.*2026.*09.05/,
    );
  });
});
