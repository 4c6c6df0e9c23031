import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureLines } from '../testing/sources/testPipeline.ts';
import { workerInput } from './inputChunks.ts';
import { normalizedLines } from './inputLines.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The lines `workerInput` gives, decoded as a worker decodes them (`\n`-split bytes). */
async function chunkLines(file: string, chunkBytes: number): Promise<string[]> {
  const out: string[] = [];
  for await (const c of workerInput(file, undefined, chunkBytes)) {
    if (!(c instanceof Uint8Array)) {
      out.push(...c);
      continue;
    }
    let start = 0;
    while (start < c.length) {
      let end = c.indexOf(10, start);
      if (end < 0) end = c.length;
      out.push(decoder.decode(c.subarray(start, end)));
      start = end + 1;
    }
  }
  return out;
}

/** The reference: the string path every other run reads files through. */
async function stringLines(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of normalizedLines(file)) out.push(...b);
  return out;
}

const enc = new TextEncoder();
const bytes = (xs: number[]): Uint8Array => Uint8Array.from(xs);
/** Pieces of a hostile file: lines, every line break readline knows, BOMs, broken UTF-8. */
const piece = fc.oneof(
  fc.constantFrom(...fixtureLines().slice(0, 30)).map((l) => enc.encode(l)),
  fc.constantFrom('\n', '\r', '\r\n', '\n\n', '', ' ', 'é', '€', '😀').map((s) => enc.encode(s)),
  fc.constantFrom(
    bytes([0xef, 0xbb, 0xbf]),
    bytes([0xff]),
    bytes([0xc3]),
    bytes([0xe2, 0x82]),
    bytes([0xf0, 0x9f, 0x98]),
  ),
  fc.uint8Array({ maxLength: 8 }),
);

let n = 0;
function file(parts: readonly Uint8Array[], gz = false): string {
  const f = path.join(dir, `in${n++}.ndjson${gz ? '.gz' : ''}`);
  const all = Buffer.concat(parts.map((p) => Buffer.from(p)));
  writeFileSync(f, gz ? gzipSync(all) : all);
  return f;
}

describe('workerInput: a file as chunks of whole lines in UTF-8', () => {
  it('gives the lines the string path gives, for any bytes and any chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 40 }),
        fc.integer({ min: 1, max: 300 }),
        async (parts, chunkBytes) => {
          const f = file(parts);
          expect(await chunkLines(f, chunkBytes)).toEqual(await stringLines(f));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands over whole lines in buffers of their own, shared (posted without a copy)', async () => {
    const lines = fixtureLines().slice(0, 200);
    const f = file([enc.encode(`${lines.join('\n')}\n`)]);
    const chunks: Uint8Array[] = [];
    for await (const c of workerInput(f, undefined, 1000)) chunks.push(c as Uint8Array);
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) {
      expect(c).toBeInstanceOf(Uint8Array);
      expect(c.buffer).toBeInstanceOf(SharedArrayBuffer);
      // Read straight into its buffer: from its start; what follows is only the next chunk's cut line.
      expect(c.byteOffset).toBe(0);
      expect(c.buffer.byteLength - c.byteLength).toBeLessThan(1000);
      expect(c[c.length - 1]).toBe(10);
    }
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
  });

  it('reads gzip and raw-frame recordings through the string path', async () => {
    const lines = fixtureLines().slice(0, 50);
    const gz = file([enc.encode(lines.join('\n'))], true);
    const got: unknown[] = [];
    for await (const c of workerInput(gz, undefined, 100)) got.push(c);
    expect(got.every((c) => Array.isArray(c))).toBe(true);
    expect(got.flat()).toEqual(lines);
    // A recording (told by its first non-blank line, after blank ones) is decoded, as before.
    const rec = (l: string): string => {
      const m = JSON.parse(l) as { event: { receipt_timestamp: number } };
      return JSON.stringify({
        receipt_timestamp: m.event.receipt_timestamp,
        exchange: 'SIM',
        event: m,
      });
    };
    const connect = '{"receipt_timestamp":1717200000.5,"exchange":"SIM","marker":"connect"}';
    const f = file([enc.encode(`\n\n${connect}\n${lines.map(rec).join('\n')}`)]);
    const items: unknown[] = [];
    for await (const c of workerInput(f, undefined, 5)) items.push(c);
    expect(items.every((c) => Array.isArray(c))).toBe(true);
    expect(items.flat()).toEqual(await stringLines(f));
    expect(items.flat().length).toBeGreaterThanOrEqual(lines.length);
  });
});
