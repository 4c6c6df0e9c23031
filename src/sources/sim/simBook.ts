import type { BookSide, L2Order } from '../../core/events.ts';
import { exponential, type Prng } from './prng.ts';

/** One simulated instrument. */
export interface SimSymbol {
  readonly symbol: string;
  /** Starting mid price; keep it well above `levels · tickSize` so prices stay positive. */
  readonly price: number;
  /** Price increment, e.g. 0.01. */
  readonly tickSize: number;
  /** Size increment, e.g. 0.0001. */
  readonly lotSize: number;
  /** Mean resting size per level, in lots (default 20). */
  readonly meanLevelLots?: number;
  /** Mean trade size, in lots (default 5). */
  readonly meanTradeLots?: number;
}

/**
 * `x` as `units / scale` with integer `units` and `scale` a power of ten, so that
 * `(n * units) / scale` is the double nearest the decimal (one correctly rounded division):
 * prices print like `64000.01`, never `64000.010000000002`.
 */
export function decimalUnits(x: number): { units: number; scale: number } {
  for (let d = 0, scale = 1; d <= 12; d++, scale *= 10) {
    const scaled = x * scale;
    if (Math.abs(Math.round(scaled) - scaled) < 1e-9 * Math.max(1, scaled)) {
      return { units: Math.round(scaled), scale };
    }
  }
  throw new Error(`SimulatedMarket: ${x} is not a decimal increment`);
}

/**
 * The book of one symbol: `levels` contiguous ticks per side, sizes in integer lots, index 0 the
 * best level. Contiguity makes every update O(levels) with no search, and the side arrays plus
 * two best ticks are the whole state. Methods mutate the book and return the L2 orders that
 * describe the change (deletes first, so applying them in order never crosses the book).
 */
export class SimSymbolState {
  inited = false;
  tradeId = 0;
  bestBid: number;
  bestAsk: number;
  readonly bidLots: number[] = [];
  readonly askLots: number[] = [];
  private readonly px: { units: number; scale: number };
  private readonly lot: { units: number; scale: number };
  private readonly meanLevelLots: number;
  private readonly meanTradeLots: number;

  constructor(
    spec: SimSymbol,
    private readonly levels: number,
    private readonly rng: Prng,
  ) {
    this.symbol = spec.symbol;
    this.px = decimalUnits(spec.tickSize);
    this.lot = decimalUnits(spec.lotSize);
    this.meanLevelLots = spec.meanLevelLots ?? 20;
    this.meanTradeLots = spec.meanTradeLots ?? 5;
    this.bestBid = Math.floor(spec.price / spec.tickSize);
    this.bestAsk = this.bestBid + 1;
    for (let i = 0; i < levels; i++) {
      this.bidLots.push(this.lots());
      this.askLots.push(this.lots());
    }
  }

  readonly symbol: string;

  price(tick: number): number {
    return (tick * this.px.units) / this.px.scale;
  }

  size(lots: number): number {
    return (lots * this.lot.units) / this.lot.scale;
  }

  /** The whole book as snapshot orders (bids best first, then asks). */
  snapshotOrders(): L2Order[] {
    const out: L2Order[] = [];
    for (let i = 0; i < this.levels; i++)
      out.push(this.order('bid', this.bestBid - i, this.bidLots[i]!));
    for (let i = 0; i < this.levels; i++)
      out.push(this.order('ask', this.bestAsk + i, this.askLots[i]!));
    return out;
  }

  /** A taker order eats into the best level of `side`; an emptied level is replaced at the far end. */
  take(side: BookSide, rng: Prng): { lots: number; orders: L2Order[] } {
    const arr = side === 'bid' ? this.bidLots : this.askLots;
    const best = side === 'bid' ? this.bestBid : this.bestAsk;
    const lots = Math.min(arr[0]!, 1 + Math.floor(exponential(rng, this.meanTradeLots)));
    arr[0]! -= lots;
    if (arr[0]! > 0) return { lots, orders: [this.order(side, best, arr[0]!)] };
    arr.shift();
    const orders = [this.order(side, best, 0)];
    if (side === 'bid') this.bestBid--;
    else this.bestAsk++;
    orders.push(this.pushFar(side));
    return { lots, orders };
  }

  /** Shift the whole book one tick (the mid's random walk): the side moved into loses its best. */
  move(up: boolean): L2Order[] {
    const orders: L2Order[] = [];
    if (up) {
      orders.push(this.order('ask', this.bestAsk, 0));
      this.askLots.shift();
      this.bestAsk++;
      orders.push(this.pushFar('ask'), ...this.improve('bid'));
    } else {
      orders.push(this.order('bid', this.bestBid, 0));
      this.bidLots.shift();
      this.bestBid--;
      orders.push(this.pushFar('bid'), ...this.improve('ask'));
    }
    return orders;
  }

  /** A new best level inside a spread wider than one tick. */
  refill(bid: boolean): L2Order[] {
    return this.improve(bid ? 'bid' : 'ask');
  }

  /** A resting size changes, mostly near the top of the book. */
  resize(rng: Prng): L2Order[] {
    const side: BookSide = rng.next() < 0.5 ? 'bid' : 'ask';
    const i = Math.min(this.levels - 1, Math.floor(exponential(rng, 6)));
    const lots = this.lots();
    if (side === 'bid') {
      this.bidLots[i] = lots;
      return [this.order('bid', this.bestBid - i, lots)];
    }
    this.askLots[i] = lots;
    return [this.order('ask', this.bestAsk + i, lots)];
  }

  /** Add a level one tick better on `side` and drop that side's far level. */
  private improve(side: BookSide): L2Order[] {
    const lots = this.lots();
    if (side === 'bid') {
      const far = this.bestBid - this.levels + 1;
      this.bidLots.unshift(lots);
      this.bidLots.pop();
      this.bestBid++;
      return [this.order('bid', far, 0), this.order('bid', this.bestBid, lots)];
    }
    const far = this.bestAsk + this.levels - 1;
    this.askLots.unshift(lots);
    this.askLots.pop();
    this.bestAsk--;
    return [this.order('ask', far, 0), this.order('ask', this.bestAsk, lots)];
  }

  /** Append a fresh level at the far end of `side` (after its best moved away). */
  private pushFar(side: BookSide): L2Order {
    const lots = this.lots();
    if (side === 'bid') {
      this.bidLots.push(lots);
      return this.order('bid', this.bestBid - this.levels + 1, lots);
    }
    this.askLots.push(lots);
    return this.order('ask', this.bestAsk + this.levels - 1, lots);
  }

  private lots(): number {
    return 1 + Math.floor(exponential(this.rng, this.meanLevelLots));
  }

  private order(side: BookSide, tick: number, lots: number): L2Order {
    return [side, this.price(tick), this.size(lots)];
  }
}

export function newSymbolState(spec: SimSymbol, levels: number, rng: Prng): SimSymbolState {
  return new SimSymbolState(spec, levels, rng);
}
