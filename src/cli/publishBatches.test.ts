import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PublishBatch } from '../cluster/publish.ts';
import { publishBatches } from './publishBatches.ts';

const dir = mkdtempSync(join(tmpdir(), 'fz-publish-items-'));
/** 3,000 event lines of ~80 bytes: several 64 KiB read chunks. */
const lines = Array.from(
  { length: 3000 },
  (_, i) =>
    `{"type":"trade","exchange":"BINANCE","symbol":"BTC-USDT","n":${i},"pad":"${'x'.repeat(30)}"}`,
);
const text = `${lines.join('\n')}\n`;

/** Batches flattened to lines, each with its line number and kind. */
async function collect(it: AsyncGenerator<PublishBatch>) {
  const out: { text: string; lineNo: number; kind: 'r' | 'e' }[] = [];
  for await (const b of it)
    b.texts.forEach((text, i) => out.push({ text, lineNo: b.firstLineNo + i, kind: b.kind }));
  return out;
}

describe('publishBatches', () => {
  it('yields every line when iteration starts long after the call (the publisher awaits the server first)', async () => {
    const file = join(dir, 'late.ndjson');
    writeFileSync(file, text);
    const gen = publishBatches(file);
    // What the publisher does before its first read: a server round trip, long under load.
    await new Promise((r) => setTimeout(r, 300));
    const got = await collect(gen);
    expect(got.map((x) => x.text)).toEqual(lines);
    expect(got.map((x) => x.lineNo)).toEqual(lines.map((_, i) => i + 1));
  });
  it('inflates gzip and types lines by the first non-blank one', async () => {
    const file = join(dir, 'late.ndjson.gz');
    writeFileSync(file, gzipSync(`\n${text}`));
    const got = await collect(publishBatches(file));
    expect(got.length).toBe(lines.length + 1);
    expect(got.map((x) => x.lineNo)).toEqual([...got.keys()].map((i) => i + 1));
    expect(got.every((x) => x.kind === 'e')).toBe(true);
    expect(got[1]!.text).toBe(lines[0]);
  });
});

describe('publishBatches, recordings', () => {
  it('types a raw-frame recording r, after leading blank lines, and splits CRLF as run does', async () => {
    const rec = (i: number): string =>
      JSON.stringify({ receipt_timestamp: 1e9 + i, exchange: 'KRAKEN', data: `{"n":${i}}` });
    const file = join(dir, 'rec.ndjson');
    writeFileSync(file, `\r\n${rec(0)}\r\n${rec(1)}\n${rec(2)}`);
    const got = await collect(publishBatches(file));
    expect(got).toEqual([
      { text: '', lineNo: 1, kind: 'r' },
      { text: rec(0), lineNo: 2, kind: 'r' },
      { text: rec(1), lineNo: 3, kind: 'r' },
      { text: rec(2), lineNo: 4, kind: 'r' },
    ]);
  });
});
