// The Cluster tab's "Replay in studio" (#15) against a real nats-server: a time range of the
// market stream becomes a recording in IndexedDB whose lines are byte for byte the recording
// lines `featurizer publish` sent, in order; venue filters, cancel and refused lines.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRecordings } from '../recording/recordingLibrary.ts';
import { ImportError } from '../session/importRecording.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import {
  lineItems,
  type NatsServerHandle,
  startNatsServer,
} from '../testing/cluster/clusterHarness.ts';
import { openStudioDb, readAllLines, readOutputLines } from '../testing/storage/recordingLines.ts';
import { importMarketRange } from './importMarketRange.ts';
import { marketStreamInfo, seqRangeOf } from './marketRange.ts';
import { type Cluster, connectCluster } from './natsConnection.ts';
import { MarketPublisher } from './publish.ts';

const lines = clusterRecording(8)
  .recording.split('\n')
  .filter((l) => l !== '');
const parsed = lines.map((l) => JSON.parse(l) as { receipt_timestamp: number; exchange: string });
const tsOf = (i: number): number => parsed[i]!.receipt_timestamp;

describe('importMarketRange', { timeout: 60_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  const db = openStudioDb(`range-${Math.random()}`);
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
    // As `featurizer publish --input rec.ndjson` sends them (its backfill path).
    await new MarketPublisher(c).backfill(lineItems(lines, 'r'));
  });
  afterAll(async () => {
    await c?.nc.close();
    await server?.stop();
  });

  it('shows the stream: first/last sequences and receipt times, venues and symbols', async () => {
    const info = await marketStreamInfo(c);
    expect(info).toMatchObject({ firstSeq: 1, lastSeq: lines.length, messages: lines.length });
    expect(info.firstTs).toBe(tsOf(0));
    expect(info.lastTs).toBe(tsOf(lines.length - 1));
    expect(Object.keys(info.venues).sort()).toEqual(['COINBASE', 'KRAKEN']);
    const kraken = Object.values(info.venues.KRAKEN!).reduce((a, b) => a + b, 0);
    expect(kraken).toBe(parsed.filter((p) => p.exchange === 'KRAKEN').length);
  });

  it('a time range becomes a recording of exactly those lines, byte for byte', async () => {
    const info = await marketStreamInfo(c);
    // Picked from the file, not from the code: a third in, to two thirds in.
    const i0 = Math.floor(lines.length / 3);
    const i1 = Math.floor((2 * lines.length) / 3);
    const from = tsOf(i0);
    const to = tsOf(i1);
    const first = parsed.findIndex((p) => p.receipt_timestamp >= from);
    const last = parsed.findLastIndex((p) => p.receipt_timestamp <= to);
    const range = await seqRangeOf(c, info, from, to);
    expect(range).toEqual({ fromSeq: first + 1, toSeq: last + 1 });
    const progress: number[] = [];
    const meta = await importMarketRange(c, await db, {
      id: 'r1',
      name: 'slice',
      range: range!,
      onProgress: (f) => progress.push(f),
    });
    expect(meta).toMatchObject({ status: 'complete', name: 'slice', lines: last - first + 1 });
    expect(meta.startTs).toBe(from);
    expect(meta.endTs).toBe(to);
    const stored = await readAllLines(await db, 'r1');
    expect(stored.lines).toEqual(lines.slice(first, last + 1));
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await seqRangeOf(c, info, tsOf(lines.length - 1) + 1, tsOf(lines.length - 1) + 2)).toBe(
      undefined,
    );
  });

  it('keeps only the venues asked for (the adapters still get their own markers)', async () => {
    const meta = await importMarketRange(c, await db, {
      id: 'k',
      name: 'kraken',
      range: { fromSeq: 1, toSeq: lines.length, venues: ['KRAKEN'] },
    });
    const stored = await readAllLines(await db, 'k');
    expect(stored.lines).toEqual(lines.filter((_, i) => parsed[i]!.exchange === 'KRAKEN'));
    expect(meta.venues).toEqual(['KRAKEN']);
  });

  it('records outputs given by market sequence beside their lines, noting they are partial', async () => {
    const out = (n: number) => JSON.stringify({ node: 'mid', event: { timestamp: n, value: n } });
    const byLine = new Map([
      [3, [out(3)]],
      [5, [out(5), out(6)]],
    ]);
    const meta = await importMarketRange(c, await db, {
      id: 'o',
      name: 'with outputs',
      range: { fromSeq: 2, toSeq: 6 },
      outputs: { byLine, note: 'the cluster outputs' },
    });
    expect(meta).toMatchObject({
      outputsRecorded: true,
      outputs: 3,
      outputsEnded: 'the cluster outputs',
      lines: 5,
    });
    expect(await readOutputLines(await db, 'o')).toEqual([out(3), out(5), out(6)]);
  });

  it('cancelled, it leaves nothing in the library', async () => {
    const ac = new AbortController();
    const run = importMarketRange(c, await db, {
      id: 'x',
      name: 'cancelled',
      range: { fromSeq: 1, toSeq: lines.length },
      signal: ac.signal,
      onProgress: () => ac.abort(),
    });
    await expect(run).rejects.toThrow(/cancelled/);
    const all = await listRecordings(await db);
    expect(all.map((r) => r.id)).not.toContain('x');
    expect((await (await db).get('recordings', 'x')) ?? null).toBe(null);
  });

  it('refuses a normalized event line, naming its stream sequence, and keeps nothing', async () => {
    const before = (await marketStreamInfo(c)).lastSeq;
    const event = JSON.stringify({
      exchange: 'SIM',
      instrument_type: 'spot',
      symbol: 'BTC-USDT',
      channel: 'ticker',
      event: { timestamp: 1, receipt_timestamp: 1, bid: 1, ask: 2 },
    });
    await new MarketPublisher(c).backfill(lineItems([event], 'e'));
    const run = importMarketRange(c, await db, {
      id: 'e',
      name: 'events',
      range: { fromSeq: before - 2, toSeq: before + 1 },
    });
    await expect(run).rejects.toThrow(ImportError);
    await expect(run).rejects.toThrow(`market stream message ${before + 1} is a normalized event`);
    expect((await (await db).get('recordings', 'e')) ?? null).toBe(null);
  });
});
