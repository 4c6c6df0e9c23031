import type { BookSide, L2Order, MarketEvent, TradeSide } from '../../core/events.ts';
import { exponential, mulberry32, type Prng } from './prng.ts';
import { newSymbolState, type SimSymbol, type SimSymbolState } from './simBook.ts';

export type { SimSymbol } from './simBook.ts';

/** Options of {@link SimulatedMarket}. Only `seed`, `startTime` and `symbols` are required. */
export interface SimulatedMarketOptions {
  /** PRNG seed: the same options always give the same events. */
  readonly seed: number;
  /** Epoch seconds of the first step (events start strictly after it). */
  readonly startTime: number;
  readonly symbols: readonly SimSymbol[];
  /** Exchange id stamped on events (default `SIM`). */
  readonly exchange?: string;
  /** Instrument type stamped on events (default `spot`). */
  readonly instrumentType?: string;
  /** Levels kept per book side (default 50). */
  readonly levels?: number;
  /** Mean seconds between market steps over all symbols (Poisson arrivals; default 0.005). */
  readonly meanIntervalSec?: number;
  /** Probability that a step is a trade (default 0.15). */
  readonly tradeProbability?: number;
  /** Probability that a step moves the whole book one tick up or down (default 0.04). */
  readonly moveProbability?: number;
  /** Mean receipt latency in seconds added to `receipt_timestamp` (default 0.002). */
  readonly latencySec?: number;
}

/**
 * A deterministic, seeded market: per symbol a random-walk mid with a dense L2 book around it
 * (`levels` contiguous ticks per side), resting-size updates, spread refills, trades arriving as a
 * Poisson process with random taker sides, and a ticker whenever the best bid or ask price changes.
 *
 * Pure: no timers, clock or `Math.random`. Time is simulated (integer microseconds from
 * `startTime`), so the same options produce the same events everywhere. The first `l2_book` event
 * of each symbol is a full snapshot (`delta: false`); later ones are deltas (size 0 deletes). Within
 * one step events share a timestamp and come as trade → l2_book → ticker, like a venue's feeds.
 * The book never crosses and a trade always executes at the best level of the side it hits.
 */
export class SimulatedMarket implements Iterable<MarketEvent> {
  private readonly rng: Prng;
  private readonly books: SimSymbolState[];
  private readonly pending: MarketEvent[] = [];
  private pendingHead = 0;
  private nowUs: number;
  private readonly exchange: string;
  private readonly instrumentType: string;
  private readonly meanIntervalUs: number;
  private readonly latencyUs: number;
  private readonly pTrade: number;
  private readonly pMove: number;

  constructor(options: SimulatedMarketOptions) {
    if (options.symbols.length === 0) throw new Error('SimulatedMarket: no symbols');
    this.rng = mulberry32(options.seed);
    const levels = options.levels ?? 50;
    this.books = options.symbols.map((s) => newSymbolState(s, levels, this.rng));
    this.nowUs = Math.round(options.startTime * 1e6);
    this.exchange = options.exchange ?? 'SIM';
    this.instrumentType = options.instrumentType ?? 'spot';
    this.meanIntervalUs = (options.meanIntervalSec ?? 0.005) * 1e6;
    this.latencyUs = (options.latencySec ?? 0.002) * 1e6;
    this.pTrade = options.tradeProbability ?? 0.15;
    this.pMove = options.moveProbability ?? 0.04;
  }

  /** Simulated time of the latest step, epoch seconds. */
  get time(): number {
    return this.nowUs / 1e6;
  }

  /** The next event (the stream is endless). */
  next(): MarketEvent {
    while (this.pendingHead >= this.pending.length) this.step();
    return this.pending[this.pendingHead++]!;
  }

  /** The next `n` events. */
  take(n: number): MarketEvent[] {
    const out: MarketEvent[] = [];
    for (let i = 0; i < n; i++) out.push(this.next());
    return out;
  }

  /** Every next event with `timestamp <= endSec` (later ones stay queued). */
  until(endSec: number): MarketEvent[] {
    const endUs = Math.round(endSec * 1e6);
    const out: MarketEvent[] = [];
    for (;;) {
      while (this.pendingHead >= this.pending.length) this.step();
      const e = this.pending[this.pendingHead]!;
      if (Math.round(e.event.timestamp * 1e6) > endUs) return out;
      out.push(e);
      this.pendingHead++;
    }
  }

  /** Best bid and ask prices of `symbol` after the events returned so far were generated. */
  bestBidAsk(symbol: string): { bid: number; ask: number } | undefined {
    const b = this.books.find((s) => s.symbol === symbol);
    return b && b.inited ? { bid: b.price(b.bestBid), ask: b.price(b.bestAsk) } : undefined;
  }

  *[Symbol.iterator](): Iterator<MarketEvent> {
    for (;;) yield this.next();
  }

  /** One market step: advance the clock, pick a symbol, act, queue the resulting events. */
  private step(): void {
    if (this.pendingHead > 0) {
      this.pending.length = 0;
      this.pendingHead = 0;
    }
    const rng = this.rng;
    // Poisson arrivals; at least 1 µs apart so steps never share a timestamp.
    this.nowUs += Math.max(1, Math.round(exponential(rng, this.meanIntervalUs)));
    const ts = this.nowUs / 1e6;
    const rts = (this.nowUs + 1 + Math.round(exponential(rng, this.latencyUs))) / 1e6;
    const s = this.books[Math.floor(rng.next() * this.books.length)]!;
    const [bid0, ask0] = [s.bestBid, s.bestAsk];
    if (!s.inited) {
      s.inited = true;
      this.l2(s, ts, rts, false, s.snapshotOrders());
    } else {
      const u = rng.next();
      if (u < this.pTrade) this.trade(s, ts, rts);
      else if (u < this.pTrade + this.pMove) this.l2(s, ts, rts, true, s.move(rng.next() < 0.5));
      else if (s.bestAsk - s.bestBid > 1) this.l2(s, ts, rts, true, s.refill(rng.next() < 0.5));
      else this.l2(s, ts, rts, true, s.resize(rng));
    }
    if (s.bestBid !== bid0 || s.bestAsk !== ask0) {
      this.emit(s, 'ticker', {
        timestamp: ts,
        receipt_timestamp: rts,
        bid: s.price(s.bestBid),
        ask: s.price(s.bestAsk),
      });
    }
  }

  private trade(s: SimSymbolState, ts: number, rts: number): void {
    const side: TradeSide = this.rng.next() < 0.5 ? 'buy' : 'sell';
    // A buy lifts the best ask, a sell hits the best bid.
    const bookSide: BookSide = side === 'buy' ? 'ask' : 'bid';
    const tick = side === 'buy' ? s.bestAsk : s.bestBid;
    const { lots, orders } = s.take(bookSide, this.rng);
    s.tradeId++;
    this.emit(s, 'trades', {
      timestamp: ts,
      receipt_timestamp: rts,
      side,
      amount: s.size(lots),
      price: s.price(tick),
      id: String(s.tradeId),
    });
    this.l2(s, ts, rts, true, orders);
  }

  private l2(s: SimSymbolState, ts: number, rts: number, delta: boolean, orders: L2Order[]): void {
    this.emit(s, 'l2_book', { timestamp: ts, receipt_timestamp: rts, delta, orders });
  }

  private emit(s: SimSymbolState, channel: MarketEvent['channel'], event: object): void {
    this.pending.push({
      exchange: this.exchange,
      instrument_type: this.instrumentType,
      symbol: s.symbol,
      channel,
      event,
    } as MarketEvent);
  }
}
