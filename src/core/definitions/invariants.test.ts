/**
 * The output invariant: whatever valid input arrives, no output field of any registered definition
 * is NaN, ±Infinity, null or missing. Every feature runs over every layout, every scalar transform
 * over every single-valued feature, all in one graph fed adversarial streams: magnitudes at the
 * input bound (prices and sizes 1e-15…1e15, sizes 0), equal values, bursts of equal timestamps,
 * gaps, late events, empty, one-sided and crossed books, books emptied by deletes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, L2Order, Level } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph } from '../graph/FeatureStreamGraph.ts';
import type { AnyDefinition } from './DataDefinition.ts';
import { builtinDefinitions, getDefinition } from './registry.ts';
import { inst, scalarSource } from '../../testing/core/testHelpers.ts';

/** Magnitude bound of valid prices and sizes (the input validation's; sizes may also be 0). */
const MIN_MAG = 1e-15;
const MAX_MAG = 1e15;
/**
 * Scalar inputs (any single-valued feature's output) may be any finite double: from valid market
 * inputs they stay within ±1e36, but a chain of transforms (a diff of a tiny first value) is not
 * bounded, so the transforms are held to the whole double range.
 */
const MAX_SCALAR = Number.MAX_VALUE;
/** Latest valid event time (2100-01-01). */
const MAX_T = 4_102_444_800;

const SOURCES: Record<string, Feature> = {
  trades: createFeature('trades', inst),
  ticker: createFeature('ticker', inst),
  l2_book: createFeature('l2_book', inst),
  'synthetic.synthetic_sine_mid_price': scalarSource(),
};

/** `def` over the default upstream chain of each of its layouts (and every window length). */
function variants(def: AnyDefinition): Feature[] {
  if (def.kind === 'source') return [SOURCES[def.name]!];
  const out: Feature[] = [];
  const windows =
    'window' in def.params ? [{ window: '1us' }, { window: 1 }, { window: '3650d' }] : [{}];
  for (const layout of Object.keys(def.depSchemas)) {
    const schemaParam = Object.keys(def.depSchemas).length > 1 ? { dep_schema: layout } : {};
    const slots = def.depSchemas[layout]!;
    const children = slots.map((s) => variants(getDefinition(s.default))[0]!);
    for (const w of windows) out.push(createFeature(def, { ...schemaParam, ...w }, children));
  }
  return out;
}

const direct = builtinDefinitions.flatMap(variants);
const scalars = direct.filter((f) => f.definition.outputKind(f.params) === 'scalar');
/** Every scalar transform over every single-valued feature (volatility of a spread, …). */
const transforms = builtinDefinitions.filter(
  (d) => d.kind === 'feature' && Object.values(d.depSchemas)[0]![0]!.accepts.includes('scalar'),
);
const short = (d: AnyDefinition) =>
  'window' in d.params ? { window: 2 } : 'halflife' in d.params ? { halflife: 2 } : {};
const chained = transforms.flatMap((d) => scalars.map((s) => createFeature(d, short(d), [s])));
const ALL = [...direct, ...chained];

function badFields(f: Feature, e: Event): string[] {
  const bad: string[] = [];
  const schema = f.definition.outputSchema(f.params);
  for (const k of ['timestamp', 'receipt_timestamp', ...Object.keys(schema)]) {
    const v = e[k];
    const type = schema[k] ?? 'number';
    if (v === null || v === undefined) bad.push(`${k}=${String(v)}`);
    else if (type === 'number' && !(typeof v === 'number' && Number.isFinite(v)))
      bad.push(`${k}=${String(v)}`);
    else if (type === 'levels') {
      for (const [p, s] of v as Level[])
        if (!Number.isFinite(p) || !Number.isFinite(s)) bad.push(`${k}:${p}@${s}`);
    }
  }
  return bad;
}

// ---- adversarial valid inputs ------------------------------------------------------------------

const magnitude = fc.oneof(
  fc.constantFrom(MIN_MAG, MAX_MAG, 1, 64000.1, 0.1, 1e-8, 999_999.99999999),
  fc.double({ min: MIN_MAG, max: MAX_MAG, noNaN: true }),
);
const size = fc.oneof(fc.constant(0), magnitude);
const scalarValue = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, MAX_SCALAR, -MAX_SCALAR, 1e30, -1e30, 5e-324, -1e-30, 64000.1),
  fc.double({ min: -MAX_SCALAR, max: MAX_SCALAR, noNaN: true }),
);

type Input = { kind: keyof typeof SOURCES; fields: Record<string, unknown> };

const input: fc.Arbitrary<Input> = fc.oneof(
  fc.record({
    kind: fc.constant('trades' as const),
    fields: fc.record({
      side: fc.constantFrom('buy', 'sell'),
      amount: size,
      price: magnitude,
      id: fc.constant('x'),
    }),
  }),
  fc.record({
    kind: fc.constant('ticker' as const),
    fields: fc.record({ bid: magnitude, ask: magnitude }), // crossed and equal included
  }),
  fc.record({
    kind: fc.constant('l2_book' as const),
    fields: fc.record({
      delta: fc.boolean(),
      orders: fc.array(fc.tuple(fc.constantFrom('bid' as const, 'ask' as const), magnitude, size), {
        maxLength: 6,
      }) as fc.Arbitrary<L2Order[]>,
    }),
  }),
  fc.record({
    kind: fc.constant('synthetic.synthetic_sine_mid_price' as const),
    fields: fc.record({ mid_price: scalarValue }),
  }),
);

const step = fc.record({
  dt: fc.oneof(
    fc.constant(0), // bursts of equal timestamps
    fc.double({ min: 1e-6, max: 1.5, noNaN: true }),
    fc.constantFrom(1e-6, 2, 1e4, 3650 * 86400), // gaps
    fc.double({ min: -3, max: -1e-6, noNaN: true }), // late
  ),
  input,
});

describe('output invariant: no NaN, ±Infinity or null in any output field', () => {
  it(`holds for every definition (${ALL.length} features) over adversarial valid streams`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1_700_000_000, MAX_T - 5),
        fc.array(step, { minLength: 30, maxLength: 150, size: 'max' }),
        (t0, steps) => {
          const g = new FeatureStreamGraph(ALL);
          const problems: string[] = [];
          let emitted = 0;
          for (const f of ALL) {
            g.setCallback(f, (_f, e) => {
              emitted++;
              const bad = badFields(f, e);
              if (bad.length > 0) problems.push(`${f.toString()}: ${bad.join(', ')}`);
            });
          }
          let t = t0;
          for (const s of steps) {
            t = Math.min(MAX_T, Math.max(0, t + s.dt));
            const e = { timestamp: t, receipt_timestamp: t, ...s.input.fields } as Event;
            g.emitNamedDataEvent([SOURCES[s.input.kind]!, e]);
          }
          expect(problems.slice(0, 5).join('\n')).toBe('');
          return emitted > 0;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('holds for the synthetic source at the extremes of its params', () => {
    const extremes = fc.record({
      amplitude: fc.constantFrom(0, 1, MAX_MAG, -MAX_MAG),
      mean: fc.constantFrom(0, MAX_MAG, -MAX_MAG),
      freq: fc.constantFrom(0, 5, 1e9, -1e9),
      step: fc.constantFrom(1e-6, 1, 1e6),
    });
    fc.assert(
      fc.property(extremes, fc.constantFrom(0, 1_700_000_000, MAX_T - 1), (p, start) => {
        const f = createFeature('synthetic.synthetic_sine_mid_price', p);
        const events =
          f.definition.kind === 'source'
            ? f.definition.generate!(f.params, start, start + 1e-3)
            : [];
        expect(events.length).toBeGreaterThan(0);
        for (const e of events) expect(badFields(f, e)).toEqual([]);
      }),
    );
  });

  it('refuses synthetic params whose wave could overflow', () => {
    expect(() => createFeature('synthetic.synthetic_sine_mid_price', { amplitude: 1e308 })).toThrow(
      /param "amplitude": must be ≤ 1000000000000000/,
    );
    expect(() => createFeature('synthetic.synthetic_sine_mid_price', { freq: 1e300 })).toThrow(
      /param "freq": must be ≤ 1000000000/,
    );
  });
});
