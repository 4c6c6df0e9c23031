import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../core/events.ts';
import { decodeBatch } from './codec.ts';
import { LinesBuilder } from './LinesBuilder.ts';
import { LineBytes, type RawLine } from './protocol.ts';

const enc = new TextEncoder();

/** A line of text (no line break): ASCII and not. */
const lineText = fc
  .string({ unit: 'grapheme', maxLength: 12 })
  .map((s) => s.replace(/[\n\r]/g, ''));

/** How one item is fed: as a range of read A or B, as a LineBytes, as a string, or parsed. */
const item = fc.record({
  how: fc.constantFrom('bytesA', 'bytesB', 'lineBytes', 'string', 'parsed'),
  text: lineText,
});

/** `texts` as one read: the lines joined and each one's range. */
function read(texts: readonly string[]): { bytes: Uint8Array; at: [number, number][] } {
  const parts = texts.map((t) => enc.encode(t));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  const at: [number, number][] = [];
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    at.push([o, o + p.length]);
    o += p.length;
    bytes[o++] = 10;
  }
  return { bytes, at };
}

describe('LinesBuilder', () => {
  // A feeder seals only a batch with items (`Transport.flush`).
  it('seals any mix of items into a batch that decodes to the same lines, numbers and events', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(item, { minLength: 1, maxLength: 40 }), { maxLength: 4 }),
        (batches) => {
          const b = new LinesBuilder();
          let n0 = 0;
          for (const items of batches) {
            const a = read(items.map((x) => x.text));
            const other = read(items.map((x) => x.text));
            const expected: unknown[] = [];
            items.forEach((x, i) => {
              const [s, e] = a.at[i]!;
              const ev: Event = { timestamp: i, receipt_timestamp: i, text: x.text };
              if (x.how === 'bytesA') b.bytes(i * 2, i % 3, 100 + i, a.bytes, s, e);
              else if (x.how === 'bytesB') b.bytes(i * 2, i % 3, 100 + i, other.bytes, s, e);
              else if (x.how === 'lineBytes')
                b.item(i * 2, i % 3, 100 + i, new LineBytes(other.bytes, s, e));
              else if (x.how === 'string') b.item(i * 2, i % 3, 100 + i, x.text);
              else b.item(i * 2, i % 3, 100 + i, ev);
              expected.push(x.how === 'parsed' ? ev : x.text);
            });
            expect(b.n).toBe(items.length);
            const sealed = b.seal(n0, 7, 9);
            expect(b.n).toBe(0);
            // A batch of one read's lines (and parsed events) carries that read, not a copy.
            const oneRead = items.every((x) => x.how === 'bytesA' || x.how === 'parsed');
            if (oneRead && items.some((x) => x.how === 'bytesA'))
              expect(sealed.bytes).toBe(a.bytes);
            const got = decodeBatch(sealed);
            expect([got.n0, got.up, got.t0]).toEqual([n0, 7, 9]);
            expect(got.seq).toEqual(items.map((_, i) => i * 2));
            expect(got.feat).toEqual(items.map((_, i) => i % 3));
            const raws = got.ev as unknown as RawLine[];
            expect(raws.map((r) => r.line)).toEqual(items.map((_, i) => 100 + i));
            expect(raws.map((r) => r.ev ?? r.raw)).toEqual(expected);
            n0 += items.length;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
