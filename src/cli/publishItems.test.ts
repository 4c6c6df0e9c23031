import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { publishItems } from './publishItems.ts';

const dir = mkdtempSync(join(tmpdir(), 'fz-publish-items-'));
/** 3,000 event lines of ~80 bytes: several 64 KiB read chunks. */
const lines = Array.from(
  { length: 3000 },
  (_, i) =>
    `{"type":"trade","exchange":"BINANCE","symbol":"BTC-USDT","n":${i},"pad":"${'x'.repeat(30)}"}`,
);
const text = `${lines.join('\n')}\n`;

async function collect(it: AsyncGenerator<{ text: string; lineNo: number }>) {
  const out: { text: string; lineNo: number }[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('publishItems', () => {
  it('yields every line when iteration starts long after the call (the publisher awaits the server first)', async () => {
    const file = join(dir, 'late.ndjson');
    writeFileSync(file, text);
    const gen = publishItems(file);
    // What the publisher does before its first read: a server round trip, long under load.
    await new Promise((r) => setTimeout(r, 300));
    const got = await collect(gen);
    expect(got.map((x) => x.text)).toEqual(lines);
    expect(got.map((x) => x.lineNo)).toEqual(lines.map((_, i) => i + 1));
  });
  it('inflates gzip and types lines by the first non-blank one', async () => {
    const file = join(dir, 'late.ndjson.gz');
    writeFileSync(file, gzipSync(`\n${text}`));
    const got = [];
    for await (const x of publishItems(file)) got.push(x);
    expect(got.length).toBe(lines.length + 1);
    expect(got.every((x) => x.kind === 'e')).toBe(true);
    expect(got[1]!.text).toBe(lines[0]);
  });
});
