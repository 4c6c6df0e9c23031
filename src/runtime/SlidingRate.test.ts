import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlidingRate, SlidingRates } from './SlidingRate.ts';

describe('SlidingRate', () => {
  it('is events per second over the last second of samples', () => {
    const r = new SlidingRate();
    expect(r.observe(0, 0)).toBe(0);
    expect(r.observe(50, 500)).toBe(100); // 50 events in 0.5 s: what there is of a window
    expect(r.observe(200, 1000)).toBe(200); // 200 in 1 s
    expect(r.observe(200, 1500)).toBe(150); // 150 in the last second (since t=500)
    expect(r.observe(200, 2000)).toBe(0); // nothing in the last second
  });

  it('does not flicker between 0 and double when reports fall between count updates', () => {
    // A worker posts its count every 100 ms; reports come every 100 ms, slightly out of phase,
    // so every other report sees no new count (the old per-report rate read 0, then 2×).
    const r = new SlidingRate();
    const rates: number[] = [];
    for (let k = 0; k <= 40; k++) {
      const now = k * 100 + 5;
      const posted = Math.floor(k / 2) * 2 * 100 * 0.2; // 200 events/s, counted in steps of 40
      const v = r.observe(posted, now);
      if (now >= 1100) rates.push(v);
    }
    for (const v of rates) {
      expect(v).toBeGreaterThanOrEqual(200 * 0.75);
      expect(v).toBeLessThanOrEqual(200 * 1.25);
    }
  });

  it('starts afresh when the count restarts (a worker restarted)', () => {
    const r = new SlidingRate();
    r.observe(1000, 0);
    r.observe(2000, 1000);
    expect(r.observe(10, 1100)).toBe(0);
    expect(r.observe(60, 1600)).toBe(100);
  });

  it('equals the exact count difference over the window for any steady stream', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 20, max: 400 }),
        (perSec, stepMs) => {
          const r = new SlidingRate();
          let last = 0;
          for (let now = 0; now <= 3000; now += stepMs)
            last = r.observe((perSec * now) / 1000, now);
          // Steady stream: the rate over any span is the stream's rate (up to float rounding).
          expect(Math.abs(last - perSec)).toBeLessThanOrEqual(perSec * 1e-9);
        },
      ),
    );
  });
});

describe('SlidingRates', () => {
  it('keeps one window per key and forgets keys not retained', () => {
    const r = new SlidingRates<string>();
    r.observe('a', 0, 0);
    r.observe('b', 0, 0);
    expect(r.observe('a', 10, 1000)).toBe(10);
    r.retain(new Set(['a']));
    expect(r.observe('b', 10, 1000)).toBe(0); // new window
    expect(r.observe('a', 30, 2000)).toBe(20);
  });
});
