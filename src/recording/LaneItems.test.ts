import { describe, expect, it } from 'vitest';
import { batchColumns, batchTexts, type LaneBatch, LaneItems } from './LaneItems.ts';

describe('LaneItems', () => {
  it('packs texts as one string that splits back into exactly the items, newlines in values included', () => {
    const items = new LaneItems();
    const texts = [
      JSON.stringify({ data: 'a\nb\r\n', x: 1 }),
      JSON.stringify({ node: 'n', event: { v: '\u2028é€' } }),
      JSON.stringify({ data: '' }),
    ];
    texts.forEach((t, i) => items.push(10 + i, t, 1, 5, 0, -1));
    // Only the first two are covered: the third stays for a later batch.
    const b = items.take(11)!;
    expect(b.n).toBe(2);
    expect(batchTexts(b)).toEqual(texts.slice(0, 2));
    expect([...batchColumns(b).stamp]).toEqual([10, 11]);
    const rest = items.take(Infinity)!;
    expect(batchTexts(rest)).toEqual(texts.slice(2));
  });

  it('refuses a batch whose text does not split into its item count, naming both', () => {
    const b: LaneBatch = { n: 2, text: '{"a":1}', nums: new ArrayBuffer(82) };
    expect(() => batchTexts(b)).toThrow(/1 lines for 2 items/);
  });
});
