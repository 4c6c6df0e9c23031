// A two-venue raw-frame recording with faults on the wire, for the cluster tests and bench (#15):
// Kraken (checksummed book) with corrupted checksums, so the adapter marks a gap and resubscribes
// for a fresh snapshot (a checksum resync), and Coinbase with lost frames, so its sequence
// numbers jump (a sequence gap, then a resync). Built offline from the exchange simulator's own
// venue modules, so it is the same bytes on every run.
import { generateCorpus, type Frame } from '../../../bench/venues/corpus.ts';
import { createAdapter } from '../../sources/adapters/registry.ts';
import type { Subscription } from '../../sources/adapters/VenueAdapter.ts';

const SYMBOL = 'BTC-USDT';

function venueLines(
  venueId: string,
  exchange: string,
  seconds: number,
  tamper: (f: Frame, n: number) => Frame | undefined,
): { ts: number; line: string }[] {
  const subs: Subscription[] = (['l2_book', 'trades', 'ticker'] as const).map((channel) => ({
    channel,
    symbol: SYMBOL,
  }));
  const adapter = createAdapter(exchange);
  for (const url of adapter.endpoints(subs)) adapter.subscribeFrames(url, subs);
  let n = 0;
  const frames = generateCorpus(venueId, adapter, subs, {
    seed: 7,
    symbols: [SYMBOL],
    seconds,
    tickMs: 25,
    tamper: (f) => tamper(f, n++),
  });
  return frames.map((f) => ({
    ts: f.receiptTs,
    line: JSON.stringify({ receipt_timestamp: f.receiptTs, exchange, data: f.text, url: f.url }),
  }));
}

/** Kraken book updates number `every`, 2·`every`, … get a wrong checksum. */
const corruptKraken =
  (every: number) =>
  (f: Frame): Frame | undefined => {
    if (!f.text.includes('"type":"update"') || !f.text.includes('"checksum":')) return f;
    corruptKraken.count = (corruptKraken.count ?? 0) + 1;
    if (corruptKraken.count % every !== 0) return f;
    return {
      ...f,
      text: f.text.replace(
        /"checksum":(\d+)/,
        (_m, c: string) => `"checksum":${(Number(c) + 1) % 2 ** 32}`,
      ),
    };
  };
corruptKraken.count = 0 as number | undefined;

/**
 * `seconds` of Kraken and Coinbase BTC-USDT (book, trades, ticker), merged by receipt time, with
 * checksum resyncs on Kraken and sequence gaps on Coinbase, as NDJSON; and a config over both.
 */
export function clusterRecording(seconds: number): {
  recording: string;
  config: string;
  lines: number;
} {
  corruptKraken.count = 0;
  const kraken = venueLines('kraken', 'KRAKEN', seconds, corruptKraken(150));
  const coinbase = venueLines('coinbase', 'COINBASE', seconds, (f, n) =>
    n > 50 && n % 700 === 0 ? undefined : f,
  );
  const all = [...kraken, ...coinbase].sort((a, b) => a.ts - b.ts);
  return {
    recording: all.map((x) => `${x.line}\n`).join(''),
    config: CONFIG,
    lines: all.length,
  };
}

const source = (exchange: string): string =>
  `        - exchange: ${exchange}\n          instrument_type: spot\n          symbol: ${SYMBOL}`;

/** Mid, book snapshot, volatility, trade imbalance and bars on both venues. */
export const CONFIG = ['KRAKEN', 'COINBASE']
  .flatMap((x) => {
    const v = x.toLowerCase();
    return [
      `  - feature_definition: price.mid_price_fd\n    name: ${v}_mid\n    params:\n      data_source:\n${source(x)}`,
      `  - feature_definition: l2_book.l2_snapshot_fd\n    name: ${v}_book\n    params:\n      data_source:\n${source(x)}\n      feature:\n        0:\n          depth: 3`,
      `  - feature_definition: volatility.volatility_stddev_fd\n    name: ${v}_vol\n    params:\n      data_source:\n${source(x)}\n      feature:\n        0:\n          window: 2s`,
      `  - feature_definition: tvi.trade_volume_imb_fd\n    name: ${v}_tvi\n    params:\n      data_source:\n${source(x)}\n      feature:\n        0:\n          window: 2s`,
      `  - feature_definition: ohlcv.ohlcv_fd\n    name: ${v}_bars\n    params:\n      data_source:\n${source(x)}\n      feature:\n        0:\n          window: 1s`,
    ];
  })
  .reduce((acc, s) => `${acc}${s}\n`, 'feature_configs:\n');
