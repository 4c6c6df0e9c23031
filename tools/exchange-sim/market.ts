/**
 * The one market behind every simulated venue: a seeded `SimulatedMarket` paced to wall-clock time,
 * the true book of each symbol, and running trade statistics for tickers. Venues only read it.
 */
import type { L2BookEvent, MarketEvent, TradeEvent } from '../../src/core/events.ts';
import { emptyBook, type OrderBook, setLevel } from '../../src/core/orderBook/OrderBook.ts';
import { type SimSymbol, SimulatedMarket } from '../../src/sources/sim/SimulatedMarket.ts';
import { decimalsOf } from './format.ts';

/** A simulated instrument and the decimals its tick and lot sizes imply. */
export interface SymbolSpec extends SimSymbol {
  readonly base: string;
  readonly quote: string;
  readonly priceDp: number;
  readonly sizeDp: number;
}

/** Running statistics since start, standing in for the venues' 24 h figures. */
export interface TradeStats {
  open: number;
  last: number;
  lastSize: number;
  low: number;
  high: number;
  volume: number;
  notional: number;
  trades: number;
}

/** Plausible instruments for common bases; anything else trades around 10. */
const DEFAULTS: Readonly<Record<string, Omit<SimSymbol, 'symbol'>>> = {
  BTC: { price: 64000, tickSize: 0.1, lotSize: 0.0001 },
  ETH: { price: 3200, tickSize: 0.01, lotSize: 0.001 },
  SOL: { price: 150, tickSize: 0.01, lotSize: 0.01 },
};
const OTHER: Omit<SimSymbol, 'symbol'> = { price: 10, tickSize: 0.001, lotSize: 0.1 };

/** `BTC-USDT` → its spec (defaults by base asset). */
export function symbolSpec(symbol: string): SymbolSpec {
  const [base, quote, extra] = symbol.split('-');
  if (!base || !quote || extra !== undefined) {
    throw new RangeError(`symbol '${symbol}' is not BASE-QUOTE`);
  }
  const d = DEFAULTS[base] ?? OTHER;
  return {
    symbol,
    base,
    quote,
    ...d,
    priceDp: decimalsOf(d.tickSize),
    sizeDp: decimalsOf(d.lotSize),
  };
}

export interface MarketDriverOptions {
  readonly seed: number;
  readonly symbols: readonly string[];
  /** Mean seconds between market steps over all symbols (default 0.005: 200 steps/s). */
  readonly meanIntervalSec?: number;
  /** Wall time (epoch seconds) the market starts at; it is warmed up from one second before. */
  readonly nowSec: number;
}

/**
 * Wall-clock pacing: `advance(now)` returns every model event up to `now`, stamped with wall time.
 * While paused the model stands still; on resume its clock is offset by the pause, so timestamps
 * stay wall time and no burst of stale events follows.
 */
export class MarketDriver {
  readonly specs = new Map<string, SymbolSpec>();
  readonly books = new Map<string, OrderBook>();
  readonly stats = new Map<string, TradeStats>();
  /** Model l2 events applied per symbol (a cheap engine-wide sequence). */
  readonly l2Count = new Map<string, number>();
  events = 0;
  private readonly market: SimulatedMarket;
  private offsetSec = 0;
  private pausedAt: number | null = null;

  constructor(o: MarketDriverOptions) {
    for (const s of o.symbols) {
      const spec = symbolSpec(s);
      this.specs.set(s, spec);
      this.books.set(s, emptyBook());
      this.l2Count.set(s, 0);
    }
    this.market = new SimulatedMarket({
      seed: o.seed,
      startTime: o.nowSec - 1,
      symbols: [...this.specs.values()],
      meanIntervalSec: o.meanIntervalSec ?? 0.005,
      latencySec: 0,
    });
    this.advance(o.nowSec); // every book has its snapshot before the first client arrives
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  pause(nowSec: number): void {
    if (this.pausedAt === null) this.pausedAt = nowSec;
  }

  resume(nowSec: number): void {
    if (this.pausedAt === null) return;
    this.offsetSec += nowSec - this.pausedAt;
    this.pausedAt = null;
  }

  /** Model events up to wall time `nowSec`, applied to the true books, timestamps in wall time. */
  advance(nowSec: number): MarketEvent[] {
    if (this.pausedAt !== null) return [];
    const raw = this.market.until(nowSec - this.offsetSec);
    if (raw.length === 0) return raw;
    const off = this.offsetSec;
    const out: MarketEvent[] = [];
    for (const m of raw) {
      const event = off === 0 ? m.event : { ...m.event, timestamp: m.event.timestamp + off };
      const e = { ...m, event } as MarketEvent;
      if (e.channel === 'l2_book') this.applyL2(e.symbol, e.event as L2BookEvent);
      else if (e.channel === 'trades') this.applyTrade(e.symbol, e.event as TradeEvent);
      out.push(e);
    }
    this.events += out.length;
    return out;
  }

  /** A venue symbol's seed symbol when `match(seed spec)` holds for a simulated one. */
  find(match: (spec: SymbolSpec) => boolean): SymbolSpec | undefined {
    for (const s of this.specs.values()) if (match(s)) return s;
    return undefined;
  }

  /** Trade statistics of `symbol`; before its first trade, all at the best bid. */
  statsOf(symbol: string): TradeStats {
    const s = this.stats.get(symbol);
    if (s) return s;
    const px = this.books.get(symbol)?.bids[0]?.[0] ?? this.specs.get(symbol)?.price ?? 0;
    return {
      open: px,
      last: px,
      lastSize: 0,
      low: px,
      high: px,
      volume: 0,
      notional: 0,
      trades: 0,
    };
  }

  private applyL2(symbol: string, e: L2BookEvent): void {
    const book = this.books.get(symbol)!;
    if (!e.delta) {
      book.bids.length = 0;
      book.asks.length = 0;
    }
    for (const [side, price, size] of e.orders) {
      setLevel(side === 'bid' ? book.bids : book.asks, price, size, side === 'bid');
    }
    this.l2Count.set(symbol, this.l2Count.get(symbol)! + 1);
  }

  private applyTrade(symbol: string, t: TradeEvent): void {
    let s = this.stats.get(symbol);
    if (!s) {
      s = {
        open: t.price,
        last: t.price,
        lastSize: 0,
        low: t.price,
        high: t.price,
        volume: 0,
        notional: 0,
        trades: 0,
      };
      this.stats.set(symbol, s);
    }
    s.last = t.price;
    s.lastSize = t.amount;
    s.low = Math.min(s.low, t.price);
    s.high = Math.max(s.high, t.price);
    s.volume += t.amount;
    s.notional += t.amount * t.price;
    s.trades++;
  }
}
