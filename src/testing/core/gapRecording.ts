// Test data (no test here): a small Coinbase recording whose book has a sequence gap, and a
// config over it. Used by the CLI test (src/cli/gaps.test.ts) and the studio export's test.

// A Coinbase recording: a ticker and a level2 book on one connection. sequence_num 4 is lost, so
// the adapter invalidates the book until the next snapshot (seq 7); tickers go on.
export const T = 1704067200;
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
export const snapshot = (seq: number, s: number, bid: number, ask: number): string =>
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
export const update = (seq: number, s: number, bid: number): string =>
  frame(s, {
    channel: 'l2_data',
    timestamp: iso(s),
    sequence_num: seq,
    events: [{ type: 'update', product_id: 'BTC-USD', updates: [level('bid', bid, iso(s))] }],
  });
export const ticker = (seq: number, s: number): string =>
  frame(s, {
    channel: 'ticker',
    timestamp: iso(s),
    sequence_num: seq,
    events: [
      { type: 'update', tickers: [{ product_id: 'BTC-USD', best_bid: '100', best_ask: '101' }] },
    ],
  });
export const RECORDING = [
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
export const CONFIG = `feature_configs:
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
