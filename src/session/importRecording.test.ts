import 'fake-indexeddb/auto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../storage/db.ts';
import { listRecordings } from '../recording/recordingLibrary.ts';
import { readAllLines } from '../testing/storage/recordingLines.ts';
import { ImportError, importRecording } from './importRecording.ts';

const line = (i: number) =>
  JSON.stringify({
    receipt_timestamp: 1_700_000_000 + i,
    exchange: 'SIM',
    event: {
      exchange: 'SIM',
      instrument_type: 'spot',
      symbol: 'BTC-USDT',
      channel: 'ticker',
      event: { timestamp: 1_700_000_000 + i, receipt_timestamp: 1_700_000_000 + i, bid: 1, ask: 2 },
    },
  });
const text = Array.from({ length: 3000 }, (_, i) => line(i)).join('\n') + '\n';
const fresh = () => openStudioDb(`import-${Math.random()}`);

describe('importRecording', () => {
  it('imports plain and gzip NDJSON, committing the recording only at the end', async () => {
    const db = await fresh();
    const meta = await importRecording(db, new Blob([text]), 'a');
    expect(meta).toMatchObject({ status: 'complete', lines: 3000, simEvents: 3000 });
    const gz = await importRecording(db, new Blob([gzipSync(text)]), 'b');
    expect(gz.lines).toBe(3000);
    expect((await readAllLines(db, 'b')).lines.join('\n') + '\n').toBe(text);
    expect((await listRecordings(db)).length).toBe(2);
  });

  it('rejects a malformed line by number and keeps nothing (chunks already written included)', async () => {
    const db = await fresh();
    const bad = text.replace(line(2500), '{"receipt_timestamp":1,"exchange":"NOPE","data":"x"}');
    const err = await importRecording(db, new Blob([bad]), 'c').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).line).toBe(2501);
    expect(await listRecordings(db)).toEqual([]);
    expect(await db.count('recordingChunks')).toBe(0);
    expect(await db.count('recordings')).toBe(0);
  });

  it('rejects a truncated gzip file and an empty one', async () => {
    const db = await fresh();
    const gz = gzipSync(text);
    const cut = new Blob([gz.subarray(0, gz.length >> 1)]);
    await expect(importRecording(db, cut, 'd')).rejects.toThrow(/truncated|corrupt|line/);
    await expect(importRecording(db, new Blob(['\n\n']), 'e')).rejects.toThrow(
      /no recording lines/,
    );
    expect(await db.count('recordings')).toBe(0);
  });
});
