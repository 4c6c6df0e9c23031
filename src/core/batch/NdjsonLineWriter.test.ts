/**
 * The hand-rolled NDJSON writer prints exactly what `JSON.stringify` prints through ndjsonLine:
 * the reference builds the object and stringifies it; the writer must give the same bytes for
 * any double (-0, subnormals, the 1e21 and 1e-7 notation boundaries, integers, huge exponents,
 * NaN/±Infinity), strings, levels, odd shapes (missing, extra, undefined fields) and sequences of
 * events (its per-field and timestamp text caches must never print a stale value).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { ByteLines } from './ByteLines.ts';
import { ndjsonLine, type OutputColumns } from './format.ts';
import { NdjsonLineWriter, TimesText, timeText } from './NdjsonLineWriter.ts';

/** The reference: an object in ndjsonLine's key order, through JSON.stringify. */
function reference(out: OutputColumns, e: Event): string {
  return ndjsonLine(out, e);
}

/** Each property stops generating after this long (a loaded machine runs fewer cases). */
const BUDGET_MS = 4_000;

const EDGES = [
  0,
  -0,
  1,
  -1,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  1e21,
  1e21 - 65536,
  1e21 - 131072,
  1e21 + 131072,
  1e-7,
  1e-7 - 1e-23,
  1e-7 + 2e-23,
  1e-6 - 1e-22,
  123e-20,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 31),
  2 ** 32,
  0.1,
  0.2 + 0.1,
  1 / 3,
  67000.05,
  1717200000.005539,
  NaN,
  Infinity,
  -Infinity,
];

/** Whole microseconds as seconds, as venues stamp them, and the doubles right next to them. */
const micros = fc
  .tuple(fc.integer({ min: 0, max: 4_400_000_000_000_000 }), fc.constantFrom(0, 1, -1))
  .map(([u, step]) => {
    const x = u / 1e6;
    const next = new Float64Array([x]);
    new BigInt64Array(next.buffer)[0]! += BigInt(step);
    return next[0]!;
  });

const double = fc.oneof(
  fc.double(),
  micros,
  fc.constantFrom(...EDGES),
  fc.integer().map((n) => n),
  fc.double({ min: 1e20, max: 1e22 }),
  fc.double({ min: 1e-8, max: 1e-6 }),
  fc.double({ min: 0, max: 1e-300 }),
);

const value = fc.oneof(
  { weight: 8, arbitrary: double },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.array(fc.tuple(double, double), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(double, fc.array(double)), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), double, { maxKeys: 2 }) },
);

const FIELDS = ['mid_price', 'open', 'high', 'bids', 'volume'];
const columns = fc.record({
  label: fc.oneof(
    fc.constantFrom('mid', 'ohlcv', 'médiane €', '中值'),
    fc.string(),
    fc.string({ unit: 'binary' }),
  ),
  column: fc.constant('c'),
  fields: fc.subarray(FIELDS),
});

/** An event for `cols`: usually exactly its fields, sometimes one missing or one extra key. */
function eventFor(cols: OutputColumns): fc.Arbitrary<Event> {
  return fc
    .record({
      ts: double,
      rts: double,
      values: fc.array(value, { minLength: cols.fields.length, maxLength: cols.fields.length }),
      drop: fc.option(fc.nat(), { freq: 8 }),
      extra: fc.option(fc.tuple(fc.constantFrom('extra', 'feature', '0', 'toString'), value), {
        freq: 8,
      }),
    })
    .map(({ ts, rts, values, drop, extra }) => {
      const e: Record<string, unknown> = { timestamp: ts, receipt_timestamp: rts };
      cols.fields.forEach((k, i) => (e[k] = values[i]));
      if (drop !== null && cols.fields.length > 0)
        delete e[cols.fields[drop % cols.fields.length]!];
      if (extra !== null) e[extra[0]] = extra[1];
      return e as Event;
    });
}

describe('NdjsonLineWriter', () => {
  it('prints a seed-style output line as JSON.stringify does', () => {
    const cols = { label: 'mid', column: 'mid', fields: ['mid_price'] };
    const e = { timestamp: 1717200000.005539, receipt_timestamp: 1717200000.005581, mid_price: -0 };
    expect(new NdjsonLineWriter(cols).line(e)).toBe(
      '{"feature":"mid","timestamp":1717200000.005539,"receipt_timestamp":1717200000.005581,"mid_price":0}\n',
    );
  });

  it('gives the bytes of JSON.stringify for any doubles, values and shapes, in any sequence', () => {
    fc.assert(
      fc.property(
        columns.chain((cols) =>
          fc.tuple(fc.constant(cols), fc.array(eventFor(cols), { maxLength: 6 })),
        ),
        ([cols, events]) => {
          const times = new TimesText();
          const writer = new NdjsonLineWriter(cols, times);
          const other = new NdjsonLineWriter(
            { label: 'other', column: 'other', fields: ['x'] },
            times,
          );
          for (const e of events) {
            expect(writer.line(e)).toBe(reference(cols, e));
            // A second writer on the same timestamp cache, as the outputs of one run share it.
            const o = { timestamp: e.timestamp, receipt_timestamp: 0.5, x: e.timestamp };
            expect(other.line(o)).toBe(
              reference({ label: 'other', column: 'other', fields: ['x'] }, o),
            );
          }
        },
      ),
      { numRuns: 20_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('writes the UTF-8 of those same lines into bytes (lineTo), in any sequence', () => {
    fc.assert(
      fc.property(
        columns.chain((cols) =>
          fc.tuple(fc.constant(cols), fc.array(eventFor(cols), { maxLength: 6 })),
        ),
        fc.integer({ min: 1, max: 64 }),
        ([cols, events], capacity) => {
          const writer = new NdjsonLineWriter(cols);
          // A small buffer, so lines (and the rewind of a line that falls back) cross its growth.
          const out = new ByteLines(capacity);
          let text = '';
          for (const e of events) {
            writer.lineTo(e, out);
            text += reference(cols, e);
          }
          const bytes = Buffer.from(out.bytes.subarray(0, out.length));
          expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
        },
      ),
      { numRuns: 20_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('prints timestamps as JSON.stringify does (whole microseconds and their neighbours)', () => {
    for (const x of [
      1e-6, 1e-7, 0, -0, 1717200000, 1717200000.1, 1717200000.000001, 4294967295.999999,
    ])
      expect(timeText(x)).toBe(JSON.stringify(x));
    fc.assert(
      fc.property(fc.oneof(micros, double), (x) => {
        expect(timeText(x)).toBe(JSON.stringify(x));
      }),
      { numRuns: 200_000, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false },
    );
  }, 60_000);

  it('keeps JSON key order for schema fields that JSON would reorder or skip', () => {
    for (const fields of [['b', '1'], ['constructor'], ['timestamp', 'x'], ['x', 'x']]) {
      const cols = { label: 'f', column: 'f', fields };
      const e = { timestamp: 1, receipt_timestamp: 2, b: 3, 1: 4, x: 5, constructor: 6 } as Event;
      expect(new NdjsonLineWriter(cols).line(e)).toBe(reference(cols, e));
    }
  });

  it('calls toJSON and omits what JSON omits, as JSON.stringify does', () => {
    const cols = { label: 'f', column: 'f', fields: ['a', 'b'] };
    const e = {
      timestamp: 1,
      receipt_timestamp: 2,
      a: { toJSON: (k: string) => `key ${k}` },
      b: () => 1,
    } as unknown as Event;
    expect(new NdjsonLineWriter(cols).line(e)).toBe(reference(cols, e));
  });
});
