import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { featurizer, tempDir } from './cliHarness.ts';

// A Coinbase recording: a ticker and a level2 book on one connection. sequence_num 4 is lost, so
// the adapter invalidates the book until the next snapshot (seq 7); tickers go on.
const T = 1704067200;
const URL = 'wss://advanced-trade-ws.coinbase.com';
const iso = (s: number): string => new Date((T + s) * 1000).toISOString();
const frame = (s: number, data: object): string =>
  JSON.stringify({
    receipt_timestamp: T + s + 0.1,
    exchange: 'COINBASE',
    url: URL,
    data: JSON.stringify(data),
  });
const level = (side: string, price: number, at = '1970-01-01T00:00:00Z'): object => ({
  side,
  event_time: at,
  price_level: String(price),
  new_quantity: '1',
});
const snapshot = (seq: number, s: number, bid: number, ask: number): string =>
  frame(s, {
    channel: 'l2_data',
    timestamp: iso(s),
    sequence_num: seq,
    events: [
      {
        type: 'snapshot',
        product_id: 'BTC-USD',
        updates: [level('bid', bid), level('offer', ask)],
      },
    ],
  });
const update = (seq: number, s: number, bid: number): string =>
  frame(s, {
    channel: 'l2_data',
    timestamp: iso(s),
    sequence_num: seq,
    events: [{ type: 'update', product_id: 'BTC-USD', updates: [level('bid', bid, iso(s))] }],
  });
const ticker = (seq: number, s: number): string =>
  frame(s, {
    channel: 'ticker',
    timestamp: iso(s),
    sequence_num: seq,
    events: [
      { type: 'update', tickers: [{ product_id: 'BTC-USD', best_bid: '100', best_ask: '101' }] },
    ],
  });
const RECORDING = [
  snapshot(0, 1, 100, 102),
  ticker(1, 2),
  update(2, 3, 100.5),
  ticker(3, 4),
  ticker(5, 5), // seq 4 lost: the book is in a gap from its last event (t=3)…
  ticker(6, 6),
  snapshot(7, 7, 99, 103), // …to its next snapshot (t=7)
  ticker(8, 8),
].join('\n');

// The key feature's name starts with "=": the CSV header neutralises it.
const CONFIG = `feature_configs:
  - feature_definition: price.mid_price_fd
    name: "=tick_mid"
    params:
      data_source: [{ exchange: COINBASE, instrument_type: spot, symbol: BTC-USD }]
      feature: { 0: { dep_schema: ticker } }
  - feature_definition: price.mid_price_fd
    name: book_mid
    params:
      data_source: [{ exchange: COINBASE, instrument_type: spot, symbol: BTC-USD }]
`;

describe('featurizer run over a recording with a gap', () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'rec.ndjson'), RECORDING);
  writeFileSync(path.join(dir, 'config.yaml'), CONFIG);
  const run = (out: string, extra: string[] = []): string => {
    const r = featurizer([
      'run',
      '-c',
      `${dir}/config.yaml`,
      '-i',
      `${dir}/rec.ndjson`,
      '-o',
      `${dir}/${out}`,
      ...extra,
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    return readFileSync(path.join(dir, out), 'utf8');
  };

  it('writes a gap marker line in NDJSON, with start, end and the affected features', () => {
    const lines = run('o.ndjson').trimEnd().split('\n');
    const gaps = lines.filter((l) => l.startsWith('{"gap"'));
    expect(gaps).toHaveLength(1);
    expect(JSON.parse(gaps[0]!)).toEqual({
      gap: {
        source: expect.stringMatching(/^data_source_l2_book_/) as unknown,
        exchange: 'COINBASE',
        instrument_type: 'spot',
        symbol: 'BTC-USD',
        channel: 'l2_book',
        reason: 'sequence',
        start: T + 3,
        end: T + 7,
        features: ['book_mid'],
      },
    });
    // Right before the first book output after the gap.
    expect(lines[lines.indexOf(gaps[0]!) + 1]).toMatch(
      /^\{"feature":"book_mid","timestamp":1704067207,/,
    );
    expect(
      lines
        .filter((l) => l.startsWith('{"feature":"book_mid"'))
        .map((l) => JSON.parse(l).timestamp),
    ).toEqual([T + 1, T + 3, T + 7]);
  });

  it('leaves the gapped source columns empty in CSV rows inside the gap', () => {
    expect(run('o.csv')).toBe(
      [
        "timestamp,receipt_timestamp,'=tick_mid-mid_price,book_mid-mid_price",
        `${T + 2},${T + 2.1},100.5,101`,
        `${T + 4},${T + 4.1},100.5,`,
        `${T + 5},${T + 5.1},100.5,`,
        `${T + 6},${T + 6.1},100.5,`,
        `${T + 8},${T + 8.1},100.5,101`,
        '',
      ].join('\n'),
    );
  });

  it('gives the same bytes on worker_threads', () => {
    for (const ext of ['ndjson', 'csv'])
      expect(run(`w.${ext}`, ['--workers', '2'])).toBe(run(`i.${ext}`));
  }, 60_000);
});
