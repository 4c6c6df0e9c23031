import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { freeSpot, overlaps, pasteOffset, type Rect } from './placement.ts';

const size = { width: 200, height: 100 };

describe('freeSpot', () => {
  it('keeps the wanted spot when it is free', () => {
    expect(freeSpot({ x: 0, y: 0 }, size, [{ x: 500, y: 500, ...size }])).toEqual({ x: 0, y: 0 });
  });

  it('never overlaps a node, however many are added at the same spot', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const taken: Rect[] = [];
        for (let i = 0; i < n; i++) {
          const p = freeSpot({ x: 100, y: 100 }, size, taken);
          for (const r of taken) expect(overlaps({ ...p, ...size }, r, 0)).toBe(false);
          taken.push({ ...p, ...size });
        }
      }),
    );
  });
});

describe('pasteOffset', () => {
  it('moves a copy clear of its original, and a second copy clear of both', () => {
    const original: Rect[] = [
      { x: 0, y: 0, ...size },
      { x: 300, y: 50, ...size },
    ];
    const first = pasteOffset(original, original);
    const copy = original.map((r) => ({ ...r, x: r.x + first.x, y: r.y + first.y }));
    for (const c of copy) for (const o of original) expect(overlaps(c, o, 0)).toBe(false);
    const second = pasteOffset(original, [...original, ...copy]);
    expect(second.y).toBeGreaterThan(first.y);
    const copy2 = original.map((r) => ({ ...r, x: r.x + second.x, y: r.y + second.y }));
    for (const c of copy2)
      for (const o of [...original, ...copy]) expect(overlaps(c, o, 0)).toBe(false);
  });
});
