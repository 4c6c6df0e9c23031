/**
 * ByteLines encodes as the CLI's output sink did before it (Node's `Buffer.write(text, 'utf8')`):
 * any string, lone surrogates included, appended in any pieces, across any growth of the buffer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLines, utf8 } from './ByteLines.ts';

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '\ud800', 'a\udc00b', '€', '\u007f\u0080', '😀x'),
);

describe('ByteLines', () => {
  it('holds the UTF-8 of the text and bytes appended, as Buffer encodes them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), anyString), { maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (pieces, capacity) => {
          const out = new ByteLines(capacity);
          for (const [raw, s] of pieces) {
            if (raw) out.raw(utf8(s));
            else out.text(s);
          }
          const want = Buffer.from(pieces.map(([, s]) => s).join(''), 'utf8');
          expect(Buffer.from(out.bytes.subarray(0, out.length)).equals(want)).toBe(true);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('starts over after clear, keeping its grown buffer', () => {
    const out = new ByteLines(2);
    out.text('hello, world');
    const grown = out.bytes;
    out.clear();
    out.text('ok');
    expect([out.length, out.bytes, Buffer.from(out.bytes.subarray(0, 2)).toString()]).toEqual([
      2,
      grown,
      'ok',
    ]);
  });
});
