// The same numbers as the engine chain, hand-fused into one loop: the same book update code
// (BestLastBook.applyLevelBestLast) and the same arithmetic as the definitions (the same monoids, MOMENTS and
// compensated sums, in an inlined two-stacks window; OHLCV bars with compensated sums), but no
// streams, no event objects, no top-N snapshots and no routing. This is the baseline the engine is
// measured against.
import type { L2BookEvent, MarketEvent, TradeEvent } from '../../src/core/events.ts';
import { toMicros } from '../../src/core/events.ts';
import {
  compensatedSums,
  liftProduct,
} from '../../src/core/definitions/builtin/compensatedSums.ts';
import { MOMENTS } from '../../src/core/definitions/builtin/moments.ts';
import { err, twoProduct, twoSum } from '../../src/core/stream/exactFloat.ts';
import type { Monoid } from '../../src/core/stream/slidingAggregate.ts';
import { applyLevelBestLast, emptyBestLastBook } from '../../src/core/orderBook/BestLastBook.ts';
import type { ChainParams, ChainResult } from './result.ts';

export function fusedChain(
  events: readonly MarketEvent[],
  p: ChainParams,
  midOnly = false,
): ChainResult {
  const book = emptyBestLastBook();
  let inited = false;
  let mid = 0;
  let midCount = 0;
  let midE: L2BookEvent | undefined;
  // Volatility and TVI windows: two-stacks of the definitions' monoids.
  const winUs = toMicros(p.windowSec);
  const volW = new TwoStacks(MOMENTS);
  const tviW = new TwoStacks(compensatedSums(2));
  let vol = 0;
  let volCount = 0;
  let tvi = 0;
  let tviCount = 0;
  let tviE: TradeEvent | undefined;
  // OHLCV.
  const barUs = toMicros(p.barSec);
  let bucket: number | null = null;
  let open = 0,
    high = 0,
    low = 0,
    close = 0,
    volume = 0,
    volumeErr = 0,
    pv = 0,
    pvErr = 0,
    nt = 0;
  let bar: Record<string, number> | undefined;
  let barCount = 0;

  for (const m of events) {
    if (m.symbol !== p.symbol || m.exchange !== p.exchange) continue;
    if (m.channel === 'l2_book') {
      const e = m.event as L2BookEvent;
      if (!e.delta) {
        book.bids = [];
        book.asks = [];
        inited = true;
      } else if (!inited) continue;
      for (const [side, price, size] of e.orders) {
        if (side === 'bid') applyLevelBestLast(book.bids, price, size, true);
        else applyLevelBestLast(book.asks, price, size, false);
      }
      // The engine's book (BestLastBook.ts): sides stored best last.
      const b = book.bids[book.bids.length - 1];
      const a = book.asks[book.asks.length - 1];
      if (b === undefined || a === undefined) continue;
      mid = (b[0] + a[0]) / 2;
      midCount++;
      midE = e;
      if (midOnly) continue;
      const o = volW.push(toMicros(e.timestamp), winUs);
      const v = volW.vals;
      v[o] = 1;
      v[o + 1] = mid;
      v[o + 2] = 0;
      v[o + 3] = 0;
      const agg = volW.total();
      vol = Math.sqrt(agg[3]! / agg[0]!);
      volCount++;
    } else if (m.channel === 'trades' && !midOnly) {
      const t = m.event as TradeEvent;
      const now = toMicros(t.timestamp);
      const o = tviW.push(now, winUs);
      const tv = tviW.vals;
      tv[o] = 0;
      tv[o + 1] = 0;
      tv[o + 2] = 0;
      tv[o + 3] = 0;
      liftProduct(t.price, t.amount, tv, t.side === 'buy' ? o : o + 2);
      const agg = tviW.total();
      const total = agg[0]! + agg[1]! + (agg[2]! + agg[3]!);
      if (total !== 0) {
        const x = agg[0]!;
        const y = -agg[2]!;
        const ds = x + y;
        const dt = ds - x;
        tvi = (2 * (ds + (x - (ds - dt) + (y - dt) + (agg[1]! - agg[3]!)))) / total;
        tviCount++;
        tviE = t;
      }
      const kb = Math.floor(now / barUs);
      if (bucket !== null && kb > bucket) {
        bar = {
          timestamp: ((bucket + 1) * barUs) / 1e6,
          receipt_timestamp: t.receipt_timestamp,
          open,
          high,
          low,
          close,
          volume: volume + volumeErr,
          vwap: volume + volumeErr > 0 ? (pv + pvErr) / (volume + volumeErr) : close,
          num_trades: nt,
          start: (bucket * barUs) / 1e6,
        };
        barCount++;
        bucket = null;
      }
      if (bucket === null) {
        bucket = kb;
        open = high = low = close = t.price;
        volume = t.amount;
        volumeErr = 0;
        pv = twoProduct(t.price, t.amount);
        pvErr = err.value;
        nt = 1;
      } else {
        if (t.price > high) high = t.price;
        if (t.price < low) low = t.price;
        close = t.price;
        volume = twoSum(volume, t.amount);
        volumeErr += err.value;
        const x = twoProduct(t.price, t.amount);
        const xErr = err.value;
        pv = twoSum(pv, x);
        pvErr += err.value + xErr;
        nt++;
      }
    }
  }
  const stamp = (e: { timestamp: number; receipt_timestamp: number } | undefined) =>
    e && { timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp };
  const out: ChainResult = {
    mid: { count: midCount, event: midE && { ...stamp(midE)!, mid_price: mid } },
  };
  if (midOnly) return out;
  out.volatility = { count: volCount, event: midE && { ...stamp(midE)!, volatility: vol } };
  out.tvi = { count: tviCount, event: tviE && { ...stamp(tviE)!, tvi } };
  out.ohlcv = { count: barCount, event: bar as never };
  return out;
}

/**
 * The engine's two-stacks ring (src/core/stream/slidingAggregate.ts) without the stream: `push`
 * reserves an item's lift slot (the caller fills it), then `total()` folds it in and evicts.
 */
class TwoStacks {
  us: number[];
  vals: number[];
  cap = 16;
  head = 0;
  split = 0;
  end = 0;
  readonly back: number[];
  private readonly out: number[];
  private nowUs = 0;
  private winUs = 0;
  constructor(private readonly m: Monoid) {
    this.back = m.identity.slice();
    this.out = m.identity.slice();
    this.us = new Array<number>(this.cap).fill(0);
    this.vals = new Array<number>(this.cap * m.width).fill(0);
  }
  push(nowUs: number, winUs: number): number {
    if (this.end - this.head === this.cap) this.grow();
    this.nowUs = nowUs;
    this.winUs = winUs;
    const slot = this.end & (this.cap - 1);
    this.us[slot] = nowUs;
    return slot * this.m.width;
  }
  private grow(): void {
    const w = this.m.width;
    const mask = this.cap - 1;
    const cap = 2 * this.cap;
    const us = new Array<number>(cap).fill(0);
    const vals = new Array<number>(cap * w).fill(0);
    for (let i = this.head; i < this.end; i++) {
      us[i - this.head] = this.us[i & mask]!;
      for (let k = 0; k < w; k++) vals[(i - this.head) * w + k] = this.vals[(i & mask) * w + k]!;
    }
    this.split -= this.head;
    this.end -= this.head;
    this.head = 0;
    this.us = us;
    this.vals = vals;
    this.cap = cap;
  }
  total(): readonly number[] {
    const { m, us, vals, back, out } = this;
    const w = m.width;
    const mask = this.cap - 1;
    m.combine(back, 0, vals, (this.end & mask) * w, back, 0);
    this.end++;
    const oldest = this.nowUs - this.winUs;
    let head = this.head;
    while (us[head & mask]! < oldest) {
      if (head === this.split) {
        for (let i = this.end - 2; i >= head; i--) {
          m.combine(vals, (i & mask) * w, vals, ((i + 1) & mask) * w, vals, (i & mask) * w);
        }
        this.split = this.end;
        for (let k = 0; k < w; k++) back[k] = m.identity[k]!;
      }
      head++;
    }
    this.head = head;
    if (head < this.split) m.combine(vals, (head & mask) * w, back, 0, out, 0);
    else for (let k = 0; k < w; k++) out[k] = back[k]!;
    return out;
  }
}
