// A venue recording made offline from the exchange simulator's own venue modules, as the
// recorder would have stored it (replay tests and the storage bench's seek figure).
import { generateCorpus } from './corpus.ts';
import type { PipelineDoc } from '../../src/core/config/PipelineDoc.ts';
import { createAdapter } from '../../src/sources/adapters/registry.ts';
import type { Subscription } from '../../src/sources/adapters/VenueAdapter.ts';

/**
 * `seconds` of `venueId`'s simulated feed for BTC-USDT (book, trades, ticker) as recording lines
 * (raw frames with their URL), their receipt times, and a pipeline over them: book → snapshot →
 * mid (`kmid`), and trades.
 */
export function venueSession(
  venueId: string,
  exchange: string,
  seconds: number,
): { lines: string[]; ts: number[]; doc: PipelineDoc } {
  const symbol = 'BTC-USDT';
  const subs: Subscription[] = (['l2_book', 'trades', 'ticker'] as const).map((channel) => ({
    channel,
    symbol,
  }));
  const adapter = createAdapter(exchange);
  for (const url of adapter.endpoints(subs)) adapter.subscribeFrames(url, subs);
  const frames = generateCorpus(venueId, adapter, subs, {
    seed: 11,
    symbols: [symbol],
    seconds,
    tickMs: 25,
  });
  const lines = frames.map((f) =>
    JSON.stringify({ receipt_timestamp: f.receiptTs, exchange, data: f.text, url: f.url }),
  );
  const ts = frames.map((f) => f.receiptTs);
  const params = { exchange, symbol };
  const at = { x: 0, y: 0 };
  const doc: PipelineDoc = {
    version: 1,
    name: `${exchange} mid`,
    nodes: [
      { id: 'kbook', definition: 'l2_book', params, position: at },
      { id: 'ksnap', definition: 'l2_book.l2_snapshot_fd', params: {}, position: at },
      { id: 'kmid', definition: 'price.mid_price_fd', params: {}, position: at },
      { id: 'ktrades', definition: 'trades', params, position: at },
    ],
    edges: [
      { id: 'e1', source: 'kbook', target: 'ksnap', targetSlot: 'book' },
      { id: 'e2', source: 'ksnap', target: 'kmid', targetSlot: 'book' },
    ],
  } as PipelineDoc;
  return { lines, ts, doc };
}
