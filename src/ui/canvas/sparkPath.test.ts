import { describe, expect, it } from 'vitest';
import { SPARK_HEIGHT, sparkPath } from './sparkPath.ts';

const pointsOf = (d: string) =>
  [...d.matchAll(/([ML])(-?[\d.]+) (-?[\d.]+)/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);

describe('sparkPath', () => {
  it('draws nothing for fewer than two samples', () => {
    expect(sparkPath(new Float64Array([5, 6]), 0)).toBe('');
    expect(sparkPath(new Float64Array([5, 6]), 1)).toBe('');
  });

  it('puts the lowest sample at the bottom and the highest at the top, one x unit per sample', () => {
    const pts = pointsOf(sparkPath(new Float64Array([10, 30, 20, 999]), 3));
    expect(pts).toEqual([
      ['M', 0, SPARK_HEIGHT - 0.5],
      ['L', 1, 0.5],
      ['L', 2, SPARK_HEIGHT / 2],
    ]);
  });

  it('draws a flat series at mid-height', () => {
    const pts = pointsOf(sparkPath(new Float64Array([7, 7, 7]), 3));
    expect(pts.map((p) => p[2])).toEqual([10, 10, 10]);
  });
});
