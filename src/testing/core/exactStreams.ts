/**
 * Stream generators and a reference window for the exact-arithmetic property tests of the windowed
 * definitions (imported by *.test.ts only). The reference keeps its own window — a plain list,
 * evicting from the front in arrival order, edges in µs — so it shares no code with the engine's.
 */
import fc from 'fast-check';
import type { Event } from '../../core/events.ts';
import type { Feature } from '../../core/feature/Feature.ts';
import { FeatureStreamGraph } from '../../core/graph/FeatureStreamGraph.ts';

/** The required agreement with exact arithmetic, relative. */
export const REL = 1e-9;

/** Outputs of `top`, one slot per input (undefined where that input emitted nothing). */
export function perInput(
  top: Feature,
  feed: Feature,
  events: readonly Event[],
): (Event | undefined)[] {
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
export class RefWindow<I extends { us: number }> {
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

export const WINDOWS = [1, 10, 60];

/** Time steps in µs, relative to the window: bursts, small steps, gaps, late events. */
export function timeSteps(windowSec: number): fc.Arbitrary<number> {
  const w = windowSec * 1e6;
  return fc.oneof(
    { arbitrary: fc.constant(0), weight: 2 },
    { arbitrary: fc.integer({ min: 1, max: Math.round(w / 5) }), weight: 6 },
    { arbitrary: fc.integer({ min: Math.round(w), max: Math.round(3 * w) }), weight: 1 },
    { arbitrary: fc.integer({ min: -Math.round(2 * w), max: -1 }), weight: 1 },
  );
}

/** A decimal `units · 10^-decimals`, parsed as a venue adapter would. */
export const decimal = (units: number, decimals: number): number => Number(`${units}e-${decimals}`);

export interface PriceWalk {
  decimals: number;
  startUnits: number;
  drift: number;
  steps: { noise: number; dtUs: number }[];
}

/**
 * Prices on a tick of 10^-decimals (1e-8…1), starting at 1e-4…1e6, walking by `drift + noise`
 * ticks per step (drift up to ±1000 ticks: long runs far from the first value; noise 0: equal runs).
 */
export function priceWalk(windowSec: number, maxLength: number): fc.Arbitrary<PriceWalk> {
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

export function walkPrices(p: PriceWalk): { t: number; us: number; x: number }[] {
  let us = 1_700_000_000_000_000;
  let units = p.startUnits;
  return p.steps.map((s) => {
    us += s.dtUs;
    units = Math.max(1, units + p.drift + s.noise);
    return { t: us / 1e6, us, x: decimal(units, p.decimals) };
  });
}
