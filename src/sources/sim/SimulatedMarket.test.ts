import { describe, expect, it } from 'vitest';
import type { L2BookEvent, MarketEvent, TradeEvent } from '../../core/events.ts';
import { emptyBook, type OrderBook, setLevel } from '../../core/orderBook/OrderBook.ts';
import { SimulatedMarket, type SimulatedMarketOptions } from './SimulatedMarket.ts';

const options: SimulatedMarketOptions = {
  seed: 42,
  startTime: 1_700_000_000,
  symbols: [
    { symbol: 'BTC-USDT', price: 64000, tickSize: 0.1, lotSize: 0.0001 },
    { symbol: 'ETH-USDT', price: 3200, tickSize: 0.01, lotSize: 0.001 },
  ],
};

function apply(book: OrderBook, e: L2BookEvent): void {
  if (!e.delta) Object.assign(book, emptyBook());
  for (const [side, price, size] of e.orders) {
    // Plain checks, not expect(): this runs for every order of 20k events.
    if (!setLevel(side === 'bid' ? book.bids : book.asks, price, size, side === 'bid')) {
      throw new Error(`delete of a missing ${side} level ${price}`);
    }
  }
}

describe('SimulatedMarket', () => {
  it('is deterministic: the same seed gives identical events, another seed differs', () => {
    const a = JSON.stringify(new SimulatedMarket(options).take(5000));
    const b = JSON.stringify(new SimulatedMarket(options).take(5000));
    const c = JSON.stringify(new SimulatedMarket({ ...options, seed: 43 }).take(5000));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('starts every symbol with a full snapshot and never crosses the book', () => {
    const books = new Map<string, OrderBook>();
    let lastTs = 0;
    for (const m of new SimulatedMarket(options).take(20000)) {
      expect(m.event.timestamp).toBeGreaterThanOrEqual(lastTs);
      expect(m.event.receipt_timestamp).toBeGreaterThan(m.event.timestamp);
      lastTs = m.event.timestamp;
      if (m.channel !== 'l2_book') continue;
      const e = m.event as L2BookEvent;
      let book = books.get(m.symbol);
      if (!book) {
        expect(e.delta).toBe(false);
        expect(e.orders).toHaveLength(100);
        book = emptyBook();
        books.set(m.symbol, book);
      }
      apply(book, e);
      if (book.bids.length !== 50 || book.asks.length !== 50) throw new Error('depth changed');
      if (book.bids[0]![0] >= book.asks[0]![0]) throw new Error(`crossed at ${e.timestamp}`);
    }
    expect([...books.keys()].sort()).toEqual(['BTC-USDT', 'ETH-USDT']);
  });

  it('executes trades at the best level of the side they hit, and ticks the ticker', () => {
    const books = new Map<string, OrderBook>();
    let trades = 0;
    let tickers = 0;
    const sides = new Set<string>();
    for (const m of new SimulatedMarket(options).take(20000)) {
      const book = books.get(m.symbol) ?? emptyBook();
      books.set(m.symbol, book);
      if (m.channel === 'l2_book') apply(book, m.event as L2BookEvent);
      else if (m.channel === 'trades') {
        const t = m.event as TradeEvent;
        const level = t.side === 'buy' ? book.asks[0]! : book.bids[0]!;
        expect(t.price).toBe(level[0]);
        expect(t.amount).toBeLessThanOrEqual(level[1]);
        expect(t.amount).toBeGreaterThan(0);
        sides.add(t.side);
        trades++;
      } else {
        const tk = m.event as { bid: number; ask: number };
        expect(tk.bid).toBe(book.bids[0]![0]);
        expect(tk.ask).toBe(book.asks[0]![0]);
        tickers++;
      }
    }
    expect(trades).toBeGreaterThan(1000);
    expect(tickers).toBeGreaterThan(500);
    expect([...sides].sort()).toEqual(['buy', 'sell']);
  });

  it('prints decimal prices exactly and stops `until` at the end time', () => {
    const sim = new SimulatedMarket(options);
    const events: MarketEvent[] = sim.until(options.startTime + 2);
    expect(events.length).toBeGreaterThan(200);
    expect(events.at(-1)!.event.timestamp).toBeLessThanOrEqual(options.startTime + 2);
    expect(sim.next().event.timestamp).toBeGreaterThan(options.startTime + 2);
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/\d\.\d{12,}/);
  });
});
