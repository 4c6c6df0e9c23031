/**
 * Every windowed definition against exact arithmetic (BigInt dyadic rationals, exactReference.ts)
 * over random streams at realistic magnitudes: prices 1e-4…1e6 on decimal ticks 1e-8…1, amounts on
 * lots 1e-8…1 (zeros included), bursts of equal timestamps, gaps longer than the window, late
 * events and long runs drifting far from the first value. The reference keeps its own window (a
 * plain list, evicting from the front in arrival order, edges in µs) and exact running sums: with
 * exact numbers, subtracting what leaves the window is exact, so the naive algorithm is the
 * reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMicros, type Event, type TradeEvent } from '../../events.ts';
import { createFeature } from '../../feature/createFeature.ts';
import type { Feature } from '../../feature/Feature.ts';
import { FeatureStreamGraph } from '../../graph/FeatureStreamGraph.ts';
import {
  add,
  type Exact,
  exact,
  int,
  mul,
  ratio,
  sign,
  sub,
  toNumber,
  ZERO,
} from './exactReference.ts';
import { inst, scalarSource, trade, value } from './testHelpers.ts';

const REL = 1e-9;

/** Outputs of `top`, one slot per input (undefined where that input emitted nothing). */
function perInput(top: Feature, feed: Feature, events: readonly Event[]): (Event | undefined)[] {
  const g = new FeatureStreamGraph([top]);
  let last: Event | undefined;
  g.setCallback(top, (_f, e) => (last = e));
  return events.map((e) => {
    last = undefined;
    g.emitNamedDataEvent([feed, e]);
    return last;
  });
}

/** The reference window: items in arrival order, evicting from the front, plus exact sums. */
class RefWindow<I extends { us: number }> {
  items: I[] = [];
  private head = 0;
  constructor(
    private readonly windowUs: number,
    private readonly onAdd: (i: I) => void,
    private readonly onEvict: (i: I) => void,
  ) {}
  push(item: I): I[] {
    this.items.push(item);
    this.onAdd(item);
    while (this.items[this.head]!.us < item.us - this.windowUs)
      this.onEvict(this.items[this.head++]!);
    return this.items.slice(this.head);
  }
}

// ---- stream generators -------------------------------------------------------------------------

const WINDOWS = [1, 10, 60];

/** Time steps in µs, relative to the window: bursts, small steps, gaps, late events. */
function timeSteps(windowSec: number): fc.Arbitrary<number> {
  const w = windowSec * 1e6;
  return fc.oneof(
    { arbitrary: fc.constant(0), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: Math.round(w / 5) }), weight: 6 },
    { arbitrary: fc.integer({ min: Math.round(w), max: Math.round(3 * w) }), weight: 1 },
    { arbitrary: fc.integer({ min: -Math.round(2 * w), max: -1 }), weight: 1 },
  );
}

/** A decimal `units · 10^-decimals`, parsed as a venue adapter would. */
const decimal = (units: number, decimals: number): number => Number(`${units}e-${decimals}`);

interface PriceWalk {
  decimals: number;
  startUnits: number;
  drift: number;
  steps: { noise: number; dtUs: number }[];
}

/**
 * Prices on a tick of 10^-decimals (1e-8…1), starting at 1e-4…1e6, walking by `drift + noise`
 * ticks per step (drift up to ±1000 ticks: long runs far from the first value; noise 0: equal runs).
 */
function priceWalk(windowSec: number, maxLength: number): fc.Arbitrary<PriceWalk> {
  return fc
    .record({
      decimals: fc.integer({ min: 0, max: 8 }),
      magnitude: fc.integer({ min: -4, max: 6 }),
      lead: fc.integer({ min: 100, max: 999 }),
      drift: fc.oneof(fc.constant(0), fc.integer({ min: -1000, max: 1000 })),
      steps: fc.array(
        fc.record({
          noise: fc.oneof(fc.constant(0), fc.integer({ min: -20, max: 20 })),
          dtUs: timeSteps(windowSec),
        }),
        { minLength: 1, maxLength },
      ),
    })
    .map(({ decimals, magnitude, lead, drift, steps }) => {
      // lead·10^(magnitude − 2) in ticks of 10^-decimals, at least one tick.
      const units = Math.max(1, Math.round(lead * 10 ** (magnitude - 2 + decimals)));
      return { decimals, startUnits: units, drift, steps };
    });
}

function walkPrices(p: PriceWalk): { t: number; us: number; x: number }[] {
  let us = 1_700_000_000_000_000;
  let units = p.startUnits;
  return p.steps.map((s) => {
    us += s.dtUs;
    units = Math.max(1, units + p.drift + s.noise);
    return { t: us / 1e6, us, x: decimal(units, p.decimals) };
  });
}

// ---- scalar moments: volatility and z-score -------------------------------------------------

interface Moments {
  n: number;
  s: Exact;
  q: Exact;
}

function momentsRef(windowSec: number, xs: readonly { us: number; x: number }[]): Moments[] {
  const acc = { n: 0, s: ZERO, q: ZERO };
  const win = new RefWindow<{ us: number; e: Exact }>(
    toMicros(windowSec),
    (i) => {
      acc.n++;
      acc.s = add(acc.s, i.e);
      acc.q = add(acc.q, mul(i.e, i.e));
    },
    (i) => {
      acc.n--;
      acc.s = sub(acc.s, i.e);
      acc.q = sub(acc.q, mul(i.e, i.e));
    },
  );
  return xs.map(({ us, x }) => {
    win.push({ us, e: exact(x) });
    return { ...acc };
  });
}

/** n²·variance = n·Σx² − (Σx)², exactly. */
const n2var = (m: Moments): Exact => sub(mul(int(m.n), m.q), mul(m.s, m.s));

function runScalarFeature(
  name: string,
  windowSec: number,
  xs: readonly { t: number; x: number }[],
) {
  const src = scalarSource();
  const f = createFeature(name, { window: windowSec }, [src]);
  return perInput(
    f,
    src,
    xs.map((p) => value(p.t, p.x)),
  );
}

/** Largest |error| / (documented bound) seen, per statistic: checked by the last test. */
const worst = { volatility: 0, zscore: 0, tvi: 0 };

function checkVolatility(windowSec: number, xs: { t: number; us: number; x: number }[]): void {
  const out = runScalarFeature('volatility.volatility_stddev_fd', windowSec, xs);
  const ref = momentsRef(windowSec, xs);
  out.forEach((o, i) => {
    const got = o!.volatility as number;
    const v = n2var(ref[i]!);
    if (sign(v) === 0) return expect(got).toBe(0);
    const want = Math.sqrt(ratio(v, int(ref[i]!.n * ref[i]!.n)));
    const e = Math.abs(got - want) / (REL * want);
    worst.volatility = Math.max(worst.volatility, e);
    expect(e, `volatility #${i}: got ${got}, exact ${want}`).toBeLessThanOrEqual(1);
  });
}

/**
 * The documented z-score bound: 1e-9 relative, plus n·2⁻¹⁰⁰·max|x|/std absolute (the
 * double-double mean is within ~n·2⁻¹⁰⁵·max|x| of the exact mean, which only matters when std is
 * a handful of ulps of the values).
 */
function checkZscore(windowSec: number, xs: { t: number; us: number; x: number }[]): void {
  const out = runScalarFeature('transforms.zscore', windowSec, xs);
  const ref = momentsRef(windowSec, xs);
  const win = new RefWindow<{ us: number; x: number }>(
    toMicros(windowSec),
    () => {},
    () => {},
  );
  out.forEach((o, i) => {
    const got = o!.zscore as number;
    const m = ref[i]!;
    const inWindow = win.push({ us: xs[i]!.us, x: xs[i]!.x });
    const v = n2var(m);
    if (sign(v) === 0) return expect(got).toBe(0);
    // z = (n·x − Σx) / √(n·Σx² − (Σx)²)
    const num = sub(mul(int(m.n), exact(xs[i]!.x)), m.s);
    const want = sign(num) * Math.sqrt(ratio(mul(num, num), v));
    const std = Math.sqrt(ratio(v, int(m.n * m.n)));
    const maxAbs = Math.max(...inWindow.map((p) => Math.abs(p.x)));
    const bound = REL * Math.abs(want) + (m.n * 2 ** -100 * maxAbs) / std;
    const e = Math.abs(got - want) / bound;
    worst.zscore = Math.max(worst.zscore, e);
    expect(e, `zscore #${i}: got ${got}, exact ${want}`).toBeLessThanOrEqual(1);
  });
}

function checkDiff(windowSec: number, xs: { t: number; us: number; x: number }[]): void {
  const out = runScalarFeature('transforms.diff', windowSec, xs);
  const win = new RefWindow<{ us: number; x: number }>(
    toMicros(windowSec),
    () => {},
    () => {},
  );
  out.forEach((o, i) => {
    const first = win.push(xs[i]!)[0]!.x;
    const want = ratio(sub(exact(xs[i]!.x), exact(first)), exact(first));
    const got = o!.diff as number;
    expect(Math.abs(got - want), `diff #${i}`).toBeLessThanOrEqual(REL * Math.abs(want));
  });
}

describe('windowed scalar features against exact arithmetic', () => {
  const streams = fc
    .constantFrom(...WINDOWS)
    .chain((w) => fc.tuple(fc.constant(w), priceWalk(w, 120)));

  it('volatility is within 1e-9 relative, and exactly 0 when the window is constant', () => {
    fc.assert(
      fc.property(streams, ([w, p]) => checkVolatility(w, walkPrices(p))),
      { numRuns: 80 },
    );
  });

  it('z-score is within its documented bound, and exactly 0 when the window is constant', () => {
    fc.assert(
      fc.property(streams, ([w, p]) => checkZscore(w, walkPrices(p))),
      { numRuns: 80 },
    );
  });

  it('relative change is within 1e-9 relative', () => {
    fc.assert(
      fc.property(streams, ([w, p]) => checkDiff(w, walkPrices(p))),
      { numRuns: 40 },
    );
  });

  it('holds over a long run drifting far from its first value (thousands of evictions)', () => {
    // 4000 prices 50 ms apart, 10 s window (~200 items): the window is flipped ~20 times.
    const xs: { t: number; us: number; x: number }[] = [];
    let units = 6_400_000_000; // 64000.00000 on a 1e-5 tick
    for (let i = 0; i < 4000; i++) {
      units += 997 + ((i * 7919) % 41) - 20; // ≈ +0.01 per step, drifting ~40 away
      const us = 1_700_000_000_000_000 + i * 50_000;
      xs.push({ t: us / 1e6, us, x: decimal(units, 5) });
    }
    checkVolatility(10, xs);
    checkZscore(10, xs);
  });

  it('gives exactly 0 once the window holds equal values only, after any history', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WINDOWS).chain((w) => fc.tuple(fc.constant(w), priceWalk(w, 60))),
        fc.double({ min: 1e-15, max: 1e15, noNaN: true }),
        fc.array(timeSteps(1), { minLength: 2, maxLength: 100 }),
        ([w, p], x, dts) => {
          // Different values first, then a run of x reaching one window past the last of them.
          const prefix = walkPrices(p);
          let us = Math.max(...prefix.map((q) => q.us));
          const run = dts.map((dt) => ({ t: (us += Math.abs(dt)) / 1e6, x }));
          run.push({ t: (us += w * 1e6 + 1) / 1e6, x }, { t: us / 1e6, x });
          const xs = [...prefix, ...run];
          const firstClean = xs.length - 1; // the window is now [x, x]: older items evicted
          for (const name of ['volatility.volatility_stddev_fd', 'transforms.zscore']) {
            const out = runScalarFeature(name, w, xs);
            expect(out[firstClean]!.volatility ?? out[firstClean]!.zscore).toBe(0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

// ---- trades: VWAP, TVI, trade rate, OHLCV -------------------------------------------------------

interface TradeStream {
  trades: TradeEvent[];
  us: number[];
}

function tradeStream(windowSec: number): fc.Arbitrary<TradeStream> {
  return fc
    .tuple(
      priceWalk(windowSec, 120),
      fc.integer({ min: 0, max: 8 }),
      fc.array(
        fc.record({
          side: fc.constantFrom('buy' as const, 'sell' as const),
          lots: fc.oneof(
            { arbitrary: fc.constant(0), weight: 1 },
            { arbitrary: fc.integer({ min: 1, max: 100_000 }), weight: 4 },
          ),
        }),
        { minLength: 120, maxLength: 120 },
      ),
    )
    .map(([p, lotDecimals, sides]) => {
      const prices = walkPrices(p);
      return {
        us: prices.map((q) => q.us),
        trades: prices.map((q, i) =>
          trade(q.t, sides[i]!.side, q.x, decimal(sides[i]!.lots, lotDecimals)),
        ),
      };
    });
}

function runTradeFeature(name: string, windowSec: number, trades: readonly TradeEvent[]) {
  const src = createFeature('trades', inst);
  return perInput(createFeature(name, { window: windowSec }, [src]), src, trades);
}

interface TradeSums {
  n: number;
  pv: Exact;
  v: Exact;
  buy: Exact;
  sell: Exact;
}

function tradeRef(windowSec: number, s: TradeStream): TradeSums[] {
  const acc: TradeSums = { n: 0, pv: ZERO, v: ZERO, buy: ZERO, sell: ZERO };
  const step = (t: TradeEvent, k: 1 | -1): void => {
    const f = k === 1 ? add : sub;
    const pv = mul(exact(t.price), exact(t.amount));
    acc.n += k;
    acc.pv = f(acc.pv, pv);
    acc.v = f(acc.v, exact(t.amount));
    if (t.side === 'buy') acc.buy = f(acc.buy, pv);
    else acc.sell = f(acc.sell, pv);
  };
  const win = new RefWindow<{ us: number; t: TradeEvent }>(
    toMicros(windowSec),
    (i) => step(i.t, 1),
    (i) => step(i.t, -1),
  );
  return s.trades.map((t, i) => {
    win.push({ us: s.us[i]!, t });
    return { ...acc };
  });
}

describe('windowed trade features against exact arithmetic', () => {
  const streams = fc
    .constantFrom(...WINDOWS)
    .chain((w) => fc.tuple(fc.constant(w), tradeStream(w)));

  it('VWAP, TVI and trade rate agree with exact sums; an all-zero window gives no output', () => {
    fc.assert(
      fc.property(streams, ([w, s]) => {
        const ref = tradeRef(w, s);
        const vwap = runTradeFeature('price.vwap_fd', w, s.trades);
        const tvi = runTradeFeature('tvi.trade_volume_imb_fd', w, s.trades);
        const rate = runTradeFeature('flow.trade_rate_fd', w, s.trades);
        ref.forEach((r, i) => {
          if (sign(r.v) === 0) expect(vwap[i], `vwap #${i}`).toBeUndefined();
          else {
            const want = ratio(r.pv, r.v);
            const got = vwap[i]!.vwap as number;
            expect(Math.abs(got - want), `vwap #${i}`).toBeLessThanOrEqual(REL * want);
          }
          const total = add(r.buy, r.sell);
          if (sign(total) === 0) expect(tvi[i], `tvi #${i}`).toBeUndefined();
          else {
            // Documented bound: 1e-9 relative plus n·2⁻¹⁰⁰ absolute (compensated sums).
            const want = ratio(mul(int(2), sub(r.buy, r.sell)), total);
            const got = tvi[i]!.tvi as number;
            const e = Math.abs(got - want) / (REL * Math.abs(want) + r.n * 2 ** -100);
            worst.tvi = Math.max(worst.tvi, e);
            expect(e, `tvi #${i}: got ${got}, exact ${want}`).toBeLessThanOrEqual(1);
          }
          expect(rate[i]).toMatchObject({ count: r.n, rate: r.n / w });
        });
      }),
      { numRuns: 60 },
    );
  });

  it('OHLCV bars: exact open/high/low/close and counts, volume and VWAP within 1e-9', () => {
    fc.assert(
      fc.property(streams, ([w, s]) => {
        const out = runTradeFeature('ohlcv.ohlcv_fd', w, s.trades);
        // Reference bars: bucket ⌊µs / w⌋; late trades join the open bar; a later bucket closes it.
        const wUs = toMicros(w);
        let bar: { k: number; trades: TradeEvent[] } | undefined;
        s.trades.forEach((t, i) => {
          const k = Math.floor(s.us[i]! / wUs);
          const o = out[i];
          if (bar !== undefined && k > bar.k) {
            const ts = bar.trades;
            const v = ts.reduce((a, x) => add(a, exact(x.amount)), ZERO);
            const pv = ts.reduce((a, x) => add(a, mul(exact(x.price), exact(x.amount))), ZERO);
            const prices = ts.map((x) => x.price);
            expect(o).toMatchObject({
              open: prices[0],
              close: prices.at(-1),
              high: Math.max(...prices),
              low: Math.min(...prices),
              num_trades: ts.length,
            });
            const want = toNumber(v);
            expect(Math.abs((o!.volume as number) - want)).toBeLessThanOrEqual(REL * want);
            const vwap = sign(v) === 0 ? prices.at(-1)! : ratio(pv, v);
            expect(Math.abs((o!.vwap as number) - vwap)).toBeLessThanOrEqual(REL * vwap);
            bar = undefined;
          } else expect(o).toBeUndefined();
          if (bar === undefined) bar = { k, trades: [t] };
          else bar.trades.push(t);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('stayed far inside every documented bound (errors are a few ulps, the bounds 1e-9)', () => {
    // The largest error / bound the properties above met; observed ~1e-6 (a few 1e-16 relative).
    expect(worst.volatility).toBeLessThan(1e-3);
    expect(worst.zscore).toBeLessThan(1e-3);
    expect(worst.tvi).toBeLessThan(1e-3);
  });
});
