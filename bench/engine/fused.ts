// The same numbers as the engine chain, hand-fused into one loop: the same book update code
// (OrderBook.setLevel) and the same incremental arithmetic as the definitions (shifted moments with
// the same reset/rebuild rule, TVI sums with exact zeroing, OHLCV bars), but no streams, no event
// objects, no top-N snapshots and no routing. This is the baseline the engine is measured against.
import type { L2BookEvent, MarketEvent, TradeEvent } from '../../src/core/events.ts';
import { toMicros } from '../../src/core/events.ts';
import { REBUILD_EVERY } from '../../src/core/definitions/builtin/rollingMoments.ts';
import { emptyBook, setLevel } from '../../src/core/orderBook/OrderBook.ts';
import type { ChainParams, ChainResult } from './result.ts';

export function fusedChain(
  events: readonly MarketEvent[],
  p: ChainParams,
  midOnly = false,
): ChainResult {
  const book = emptyBook();
  let inited = false;
  let mid = 0;
  let midCount = 0;
  let midE: L2BookEvent | undefined;
  // Volatility window: parallel arrays (µs, value) from `vh`, moments shifted by `k`.
  const winUs = toMicros(p.windowSec);
  let vUs: number[] = [];
  let vX: number[] = [];
  let vh = 0;
  let n = 0;
  let k = 0;
  let s1 = 0;
  let s2 = 0;
  let removals = 0;
  let vol = 0;
  let volCount = 0;
  // TVI window.
  let tUs: number[] = [];
  let tPv: number[] = [];
  let tBuy: boolean[] = [];
  let th = 0;
  let buy = 0;
  let sell = 0;
  let nBuy = 0;
  let nSell = 0;
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
    pv = 0,
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
        if (side === 'bid') setLevel(book.bids, price, size, true);
        else setLevel(book.asks, price, size, false);
      }
      const b = book.bids[0];
      const a = book.asks[0];
      if (b === undefined || a === undefined) continue;
      mid = (b[0] + a[0]) / 2;
      midCount++;
      midE = e;
      if (midOnly) continue;
      const now = toMicros(e.timestamp);
      if (n === 0) {
        k = mid;
        s1 = 0;
        s2 = 0;
      }
      const d = mid - k;
      s1 += d;
      s2 += d * d;
      n++;
      vUs.push(now);
      vX.push(mid);
      const h0 = vh;
      while (vUs[vh]! < now - winUs) {
        const r = vX[vh]! - k;
        s1 -= r;
        s2 -= r * r;
        n--;
        removals++;
        vh++;
      }
      if (vh !== h0) {
        if (vX.length - vh === 1) {
          k = vX[vh]!;
          s1 = 0;
          s2 = 0;
          n = 1;
          removals = 0;
        } else if (removals >= REBUILD_EVERY && removals >= n) {
          k = vX[vh]!;
          s1 = 0;
          s2 = 0;
          for (let i = vh; i < vX.length; i++) {
            const r = vX[i]! - k;
            s1 += r;
            s2 += r * r;
          }
          n = vX.length - vh;
          removals = 0;
        }
        if (vh > 1024 && vh * 2 > vX.length) {
          vUs = vUs.slice(vh);
          vX = vX.slice(vh);
          vh = 0;
        }
      }
      const mean = s1 / n;
      const v = s2 / n - mean * mean;
      vol = Math.sqrt(v > 0 ? v : 0);
      volCount++;
    } else if (m.channel === 'trades' && !midOnly) {
      const t = m.event as TradeEvent;
      const now = toMicros(t.timestamp);
      const isBuy = t.side === 'buy';
      if (isBuy) {
        buy += t.price * t.amount;
        nBuy++;
      } else {
        sell += t.price * t.amount;
        nSell++;
      }
      tUs.push(now);
      tPv.push(t.price * t.amount);
      tBuy.push(isBuy);
      while (tUs[th]! < now - winUs) {
        if (tBuy[th]) buy = --nBuy === 0 ? 0 : buy - tPv[th]!;
        else sell = --nSell === 0 ? 0 : sell - tPv[th]!;
        th++;
      }
      if (th > 1024 && th * 2 > tUs.length) {
        tUs = tUs.slice(th);
        tPv = tPv.slice(th);
        tBuy = tBuy.slice(th);
        th = 0;
      }
      if (buy + sell !== 0) {
        tvi = (2 * (buy - sell)) / (buy + sell);
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
          volume,
          vwap: volume > 0 ? pv / volume : close,
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
        pv = t.price * t.amount;
        nt = 1;
      } else {
        if (t.price > high) high = t.price;
        if (t.price < low) low = t.price;
        close = t.price;
        volume += t.amount;
        pv += t.price * t.amount;
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
