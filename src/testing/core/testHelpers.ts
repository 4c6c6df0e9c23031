/** Helpers for the built-in definitions' unit tests (imported by *.test.ts only). */
import type { Event, Level, TradeEvent, TradeSide } from '../../core/events.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import { createFeature } from '../../core/feature/createFeature.ts';
import { FeatureStreamGraph } from '../../core/graph/FeatureStreamGraph.ts';

export const inst = { exchange: 'SIM', symbol: 'BTC-USDT' };

/** Build a graph for `top`, push `events` into the stream of `feed` and collect `top`'s outputs. */
export function collect(top: Feature, feed: Feature, events: readonly Event[]): Event[] {
  const g = new FeatureStreamGraph([top]);
  const out: Event[] = [];
  g.setCallback(top, (_f, e) => out.push(e));
  for (const e of events) g.emitNamedDataEvent([feed, e]);
  return out;
}

/** A trade; receipt time is `t + 0.25` unless given. */
export function trade(
  t: number,
  side: TradeSide,
  price: number,
  amount: number,
  receipt = t + 0.25,
): TradeEvent {
  return { timestamp: t, receipt_timestamp: receipt, side, price, amount, id: `t${t}` };
}

/** An l2 snapshot feature event (what `l2_book.l2_snapshot_fd` emits). */
export function book(t: number, bids: Level[], asks: Level[]): Event {
  return { timestamp: t, receipt_timestamp: t + 0.25, bids, asks };
}

/** A scalar source feature whose single field is `mid_price` (the synthetic sine source). */
export function scalarSource(): Feature {
  return createFeature('synthetic.synthetic_sine_mid_price', {});
}

/** A `mid_price` event; receipt time is `t + 0.25`. */
export function value(t: number, x: number): Event {
  return { timestamp: t, receipt_timestamp: t + 0.25, mid_price: x };
}

/** `feature(params)` over a fresh scalar source, fed `[t, x]` pairs; returns the outputs. */
export function runScalar(
  name: string,
  params: Record<string, unknown>,
  points: readonly (readonly [number, number])[],
): Event[] {
  const src = scalarSource();
  const f = createFeature(name, params, [src]);
  return collect(
    f,
    src,
    points.map(([t, x]) => value(t, x)),
  );
}

/** `feature(params)` over a fresh trades source, fed `trades`. */
export function runTrades(
  name: string,
  params: Record<string, unknown>,
  trades: readonly TradeEvent[],
): Event[] {
  const src = createFeature('trades', inst);
  return collect(createFeature(name, params, [src]), src, trades);
}

/** `feature(params)` over an l2 snapshot node, fed snapshot events directly. */
export function runBook(
  name: string,
  params: Record<string, unknown>,
  books: readonly Event[],
): Event[] {
  const src = createFeature('l2_book', inst);
  const snap = createFeature('l2_book.l2_snapshot_fd', {}, [src]);
  return collect(createFeature(name, params, [snap]), snap, books);
}

/** The values of `field` in `events`. */
export function pluck(events: readonly Event[], field: string): unknown[] {
  return events.map((e) => e[field]);
}
