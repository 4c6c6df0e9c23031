import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './LineSplitter.ts';

/** What readline (crlfDelay: Infinity, as the CLI used) makes of these chunks. */
async function readlineLines(chunks: readonly string[]): Promise<string[]> {
  const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Infinity });
  const out: string[] = [];
  for await (const line of rl) out.push(line);
  return out;
}

function splitterLines(chunks: readonly string[]): string[] {
  const s = new LineSplitter();
  const out: string[] = [];
  for (const c of chunks) s.push(c, out);
  s.end(out);
  return out;
}

describe('LineSplitter', () => {
  it('splits like readline: \\n, \\r\\n, lone \\r, no line after a final break', () => {
    expect(splitterLines(['a\nb\r\nc\rd\n'])).toEqual(['a', 'b', 'c', 'd']);
    expect(splitterLines(['a\r', '\nb'])).toEqual(['a', 'b']);
    expect(splitterLines(['a\r', 'b\r'])).toEqual(['a', 'b']);
    expect(splitterLines(['\n\n', 'x'])).toEqual(['', '', 'x']);
    expect(splitterLines(['ab', 'c', '', 'd\n'])).toEqual(['abcd']);
    expect(splitterLines([''])).toEqual([]);
  });

  it('gives the lines readline gives, for any text cut into any chunks', async () => {
    const text = fc
      .array(fc.constantFrom('a', 'é', '{', '\n', '\r', '\r\n', ' ', 'xyz'), { maxLength: 40 })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 6 }), async (t, cuts) => {
        const at = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((x, y) => x - y);
        const chunks: string[] = [];
        let prev = 0;
        for (const c of at) {
          chunks.push(t.slice(prev, c));
          prev = c;
        }
        chunks.push(t.slice(prev));
        // readline skips empty chunks; the splitter must not care either way.
        const nonEmpty = chunks.filter((c) => c !== '');
        expect(splitterLines(chunks)).toEqual(await readlineLines(nonEmpty));
      }),
      { numRuns: 2000 },
    );
  }, 60_000);
});
