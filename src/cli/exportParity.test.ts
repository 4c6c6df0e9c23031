// The studio's outputs export and `featurizer run` over the exported recording are one code path
// (session/RecordingBatch): a property over random Coinbase recordings with sequence gaps,
// disconnects, unreadable frames and blank lines, in CSV and NDJSON, compares their bytes.
import 'fake-indexeddb/auto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeaturizerConfig } from '../core/config/parseFeaturizerConfig.ts';
import { pipelineFromConfig } from '../core/config/pipelineConvert.ts';
import { importRecording } from '../session/importRecording.ts';
import { Session } from '../session/Session.ts';
import { openStudioDb } from '../storage/db.ts';
import { tempDir } from '../testing/cli/cliHarness.ts';
import { venueSession } from '../../bench/venues/venueRecording.ts';
import { runCommand } from './runCommand.ts';

const T = 1704067200;
const URL = 'wss://advanced-trade-ws.coinbase.com';

/** One step of a random Coinbase session. */
type Op =
  | { readonly k: 'snap' | 'upd' | 'tick'; readonly bid: number; readonly spread: number }
  | { readonly k: 'lose'; readonly n: number }
  | { readonly k: 'disconnect' | 'bad' | 'blank' };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constantFrom('snap' as const, 'upd' as const, 'tick' as const),
      bid: fc.integer({ min: 900, max: 1100 }),
      spread: fc.integer({ min: 1, max: 9 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('lose' as const), n: fc.integer({ min: 1, max: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constantFrom('disconnect' as const, 'bad' as const, 'blank' as const),
    }),
  },
);

/** The recording's lines (docs/recording-format.md) for `ops`, one second apart. */
function recording(ops: readonly Op[]): string {
  let seq = 0;
  const lines: string[] = [];
  ops.forEach((o, i) => {
    const s = i + 1;
    const receipt_timestamp = T + s + 0.25;
    const at = new Date((T + s) * 1000).toISOString();
    const frame = (data: unknown) =>
      JSON.stringify({
        receipt_timestamp,
        exchange: 'COINBASE',
        url: URL,
        data: typeof data === 'string' ? data : JSON.stringify(data),
      });
    if (o.k === 'lose')
      seq += o.n; // messages lost: the adapter sees a sequence gap
    else if (o.k === 'blank') lines.push('');
    else if (o.k === 'bad') lines.push(frame('{"channel":"l2_data","events":'));
    else if (o.k === 'disconnect') {
      lines.push(
        JSON.stringify({ receipt_timestamp, exchange: 'COINBASE', url: URL, marker: 'disconnect' }),
      );
      seq = 0;
    } else if (o.k === 'tick') {
      const ticker = {
        product_id: 'BTC-USD',
        best_bid: `${o.bid / 10}`,
        best_ask: `${(o.bid + o.spread) / 10}`,
      };
      lines.push(
        frame({
          channel: 'ticker',
          timestamp: at,
          sequence_num: seq++,
          events: [{ type: 'update', tickers: [ticker] }],
        }),
      );
    } else if ('bid' in o) {
      const level = (side: string, price: number) => ({
        side,
        event_time: at,
        price_level: `${price / 10}`,
        new_quantity: '1',
      });
      const updates =
        o.k === 'snap'
          ? [level('bid', o.bid), level('offer', o.bid + o.spread)]
          : [level('bid', o.bid)];
      const type = o.k === 'snap' ? 'snapshot' : 'update';
      lines.push(
        frame({
          channel: 'l2_data',
          timestamp: at,
          sequence_num: seq++,
          events: [{ type, product_id: 'BTC-USD', updates }],
        }),
      );
    }
  });
  return lines.join('\n') + '\n';
}

/** Output 0 (the CSV join's key) is the ticker mid or the book's, so both keys are exercised. */
function config(bookFirst: boolean): string {
  const tick = `  - feature_definition: price.mid_price_fd
    name: tick_mid
    params:
      data_source: [{ exchange: COINBASE, instrument_type: spot, symbol: BTC-USD }]
      feature: { 0: { dep_schema: ticker } }
`;
  const book = `  - feature_definition: price.mid_price_fd
    name: book_mid
    params:
      data_source: [{ exchange: COINBASE, instrument_type: spot, symbol: BTC-USD }]
`;
  return `feature_configs:\n${bookFirst ? book + tick : tick + book}`;
}

const io = { out: () => undefined, err: () => undefined };

describe('the studio export and featurizer run over one recording', () => {
  it('write identical bytes, gap markers and empty in-gap cells included', async () => {
    const dir = tempDir();
    const db = await openStudioDb(`parity-${Math.random()}`);
    let gapped = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom('csv' as const, 'ndjson' as const),
        fc.boolean(),
        async (ops, bookFirst, format, gz) => {
          const text = recording(ops);
          const cfg = config(bookFirst);
          // The studio: import the file, export the pipeline's outputs through the Session.
          const meta = await importRecording(db, new Blob([text]), 'random');
          const doc = pipelineFromConfig(parseFeaturizerConfig(cfg));
          const session = new Session({
            doc,
            source: { kind: 'recording', recordingId: meta.id },
            db: () => Promise.resolve(db),
          });
          const studio = await session.outputs(format);
          // The CLI: the same recording as a file, the same config.
          const input = path.join(dir, gz ? 'rec.ndjson.gz' : 'rec.ndjson');
          writeFileSync(input, gz ? gzipSync(text) : text);
          writeFileSync(path.join(dir, 'c.yaml'), cfg);
          const out = path.join(dir, `o.${format}`);
          const args = {
            config: path.join(dir, 'c.yaml'),
            input,
            out,
            format: undefined,
            quiet: true,
          };
          expect(await runCommand(args, io)).toBe(0);
          expect(readFileSync(out, 'utf8')).toBe(studio);
          if (format === 'ndjson' ? studio.includes('{"gap":') : /,\n|,,/.test(studio)) gapped++;
        },
      ),
      { numRuns: 60, seed: 11 },
    );
    // The property saw recordings whose outputs mark a gap, not only clean ones.
    expect(gapped).toBeGreaterThan(5);
    db.close();
  }, 120_000);
});

/** Each venue's simulated feed (book, trades, ticker), a few seconds, through its real adapter. */
const VENUES = [
  ['binance', 'BINANCE'],
  ['bybit', 'BYBIT'],
  ['coinbase', 'COINBASE'],
  ['kraken', 'KRAKEN'],
  ['okx', 'OKX'],
].map(([id, exchange]) => ({ exchange: exchange!, ...venueSession(id!, exchange!, 4) }));

describe('the studio export and featurizer run over every venue, frames lost at random', () => {
  it('write identical bytes (sequence and checksum gaps included)', async () => {
    const dir = tempDir();
    const db = await openStudioDb(`parity-venues-${Math.random()}`);
    const gapsSeen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VENUES.map((v) => v.exchange)),
        fc.uniqueArray(fc.nat({ max: 400 }), { maxLength: 6 }),
        fc.constantFrom('csv' as const, 'ndjson' as const),
        async (exchange, lost, format) => {
          const venue = VENUES.find((v) => v.exchange === exchange)!;
          // Losing frames after the first snapshot breaks the venue's sequence or checksum.
          const drop = new Set(lost.map((i) => 1 + (i % (venue.lines.length - 1))));
          const text = venue.lines.filter((_, i) => !drop.has(i)).join('\n') + '\n';
          // The pipeline as the studio exports it (JSON, named outputs so it has a config form).
          const doc = {
            ...venue.doc,
            nodes: venue.doc.nodes.map((n) => ({ ...n, name: n.id })),
          };
          const meta = await importRecording(db, new Blob([text]), venue.exchange);
          const studio = await new Session({
            doc,
            source: { kind: 'recording', recordingId: meta.id },
            db: () => Promise.resolve(db),
          }).outputs(format);
          const input = path.join(dir, 'rec.ndjson');
          writeFileSync(input, text);
          writeFileSync(path.join(dir, 'doc.json'), JSON.stringify(doc));
          const out = path.join(dir, `o.${format}`);
          const args = { config: path.join(dir, 'doc.json'), input, out, format, quiet: true };
          expect(await runCommand(args, io)).toBe(0);
          expect(readFileSync(out, 'utf8')).toBe(studio);
          expect(studio.length).toBeGreaterThan(0);
          if (studio.includes('{"gap":')) gapsSeen.add(venue.exchange);
        },
      ),
      { numRuns: 40, seed: 5 },
    );
    // Lost frames made gap markers on several venues, not only clean runs.
    expect(gapsSeen.size).toBeGreaterThan(1);
    db.close();
  }, 180_000);
});
