import { describe, expect, it } from 'vitest';
import { SparkHistory } from './SparkHistory.ts';
import { SPARK_POINTS } from './sparkPath.ts';

describe('SparkHistory', () => {
  it('keeps the latest SPARK_POINTS samples, oldest first', () => {
    const h = new SparkHistory();
    for (let i = 0; i < SPARK_POINTS + 5; i++) h.sample(i);
    expect(h.n).toBe(SPARK_POINTS);
    expect(h.values[0]).toBe(5);
    expect(h.values[SPARK_POINTS - 1]).toBe(SPARK_POINTS + 4);
  });

  it('moves its version while the line changes, not once a full window is one flat value', () => {
    const h = new SparkHistory();
    h.sample(1);
    h.sample(2);
    const v = h.version;
    h.sample(2); // the line still grows to the right
    expect(h.version).toBe(v + 1);
    for (let i = 0; i < SPARK_POINTS; i++) h.sample(7);
    const flat = h.version;
    h.sample(7);
    h.sample(7);
    expect(h.version).toBe(flat);
    h.sample(8);
    expect(h.version).toBe(flat + 1);
  });

  it('empties on a missing value (run stopped) and says so once', () => {
    const h = new SparkHistory();
    h.sample(1);
    h.sample(2);
    const v = h.version;
    h.sample(undefined);
    expect(h.n).toBe(0);
    expect(h.version).toBe(v + 1);
    h.sample(undefined);
    expect(h.version).toBe(v + 1);
  });
});
