/** Small helpers shared by the venue modules. */
import type { Level, MarketEvent, TradeEvent } from '../../../src/core/events.ts';
import type { OrderBook } from '../../../src/core/orderBook/OrderBook.ts';

/** Best bid and ask of a book, with a key that changes when either price or size does. */
export function bbo(book: OrderBook): { bid: Level; ask: Level; key: string } | undefined {
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (!bid || !ask) return undefined;
  return { bid, ask, key: `${bid[0]}:${bid[1]}:${ask[0]}:${ask[1]}` };
}

/** What one batch of market events did per symbol: last book change time and the trades. */
export interface BatchSummary {
  /** Symbol → timestamp (s) of its last l2 event in the batch. */
  readonly books: Map<string, number>;
  readonly trades: { readonly symbol: string; readonly t: TradeEvent }[];
}

export function summarize(events: readonly MarketEvent[]): BatchSummary {
  const books = new Map<string, number>();
  const trades: BatchSummary['trades'] = [];
  for (const e of events) {
    if (e.channel === 'l2_book') books.set(e.symbol, e.event.timestamp);
    else if (e.channel === 'trades') trades.push({ symbol: e.symbol, t: e.event as TradeEvent });
  }
  return { books, trades };
}

/** Parse a client frame as a JSON object; undefined when it is not one. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A deterministic uuid-shaped id (Bybit trade ids, Coinbase-like connection ids). */
export function uuidOf(n: number, salt = 0x5eed): string {
  const h = (x: number) => (Math.imul(x ^ salt, 2654435761) >>> 0).toString(16).padStart(8, '0');
  const a = h(n);
  const b = h(n + 1);
  const c = h(n + 2);
  const d = h(n + 3);
  return `${a}-${b.slice(0, 4)}-5${b.slice(5, 8)}-9${c.slice(1, 4)}-${c.slice(4)}${d}`;
}
