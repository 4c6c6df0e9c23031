import type { Event } from '../events.ts';
import { type ByteLines, utf8 } from './ByteLines.ts';
import { ndjsonLine, type OutputColumns } from './format.ts';

/**
 * Writes the NDJSON output lines of one configured output, byte for byte what
 * {@link ndjsonLine} writes, without building an object per event or running the generic
 * `JSON.stringify` over it: the keys are JSON-quoted once, here, and each value is written by
 * type — a finite number is its `ToString` (which is how `JSON.stringify` prints it, `-0` as `0`),
 * a non-finite one `null`, a string through `JSON.stringify`, an array of `[price, size]` levels
 * by hand. Anything else, and any event whose keys are not exactly `timestamp`,
 * `receipt_timestamp` and the schema fields, goes through {@link ndjsonLine} itself, so rare shapes
 * cost more but never print differently (`NdjsonLineWriter.test.ts` holds it to that).
 */
export class NdjsonLineWriter {
  private readonly head: string;
  private readonly fields: readonly string[];
  private readonly keys: readonly string[];
  /** Per field, the last number printed and its text (NaN: none yet; it never equals itself). */
  private readonly lastNums: number[];
  private readonly lastTexts: string[];
  /** Field names for which only the generic path keeps JSON's key order and meaning. */
  private readonly generic: boolean;
  /** {@link head} and {@link keys} as UTF-8, for {@link lineTo}. */
  private readonly headBytes: Uint8Array;
  private readonly keyBytes: readonly Uint8Array[];

  constructor(
    private readonly out: OutputColumns,
    private readonly times: TimesText = new TimesText(),
  ) {
    this.head = `{"feature":${JSON.stringify(out.label)},"timestamp":`;
    this.fields = out.fields;
    this.keys = out.fields.map((k) => `,${JSON.stringify(k)}:`);
    this.lastNums = out.fields.map(() => NaN);
    this.lastTexts = out.fields.map(() => '');
    const reserved = new Set(['feature', 'timestamp', 'receipt_timestamp']);
    this.generic =
      new Set(out.fields).size !== out.fields.length ||
      // Integer-like keys print first in JSON; inherited names (`constructor`) are skipped by
      // ndjsonLine's `in` test. Neither occurs in the built-in schemas.
      out.fields.some((k) => reserved.has(k) || /^\d+$/.test(k) || k in {});
    this.headBytes = utf8(this.head);
    this.keyBytes = this.keys.map(utf8);
  }

  /** The line (with its `\n`) for event `e`. */
  line(e: Event): string {
    const fields = this.fields;
    const ts = e.timestamp;
    const rts = e.receipt_timestamp;
    if (!this.fast(e, ts, rts)) return ndjsonLine(this.out, e);
    let s = this.head + this.times.of(ts, rts);
    for (let i = 0; i < fields.length; i++) {
      const v = this.field(i, e[fields[i]!]);
      if (v === undefined) return ndjsonLine(this.out, e);
      s += this.keys[i]! + v;
    }
    return s + '}\n';
  }

  /**
   * {@link line}`(e)` appended to `out` as UTF-8, without building the line as a string: the
   * same bytes (`NdjsonLineWriter.test.ts`).
   */
  lineTo(e: Event, out: ByteLines): void {
    const fields = this.fields;
    const ts = e.timestamp;
    const rts = e.receipt_timestamp;
    if (!this.fast(e, ts, rts)) return out.text(ndjsonLine(this.out, e));
    const start = out.length;
    out.raw(this.headBytes);
    out.text(this.times.of(ts, rts));
    for (let i = 0; i < fields.length; i++) {
      const v = this.field(i, e[fields[i]!]);
      if (v === undefined) {
        out.length = start; // drop the part written: the generic path writes the whole line
        return out.text(ndjsonLine(this.out, e));
      }
      out.raw(this.keyBytes[i]!);
      out.text(v);
    }
    out.raw(CLOSE);
  }

  /** Whether `e` has exactly the schema's keys and number timestamps (else: the generic path). */
  private fast(e: Event, ts: unknown, rts: unknown): boolean {
    return (
      !this.generic &&
      typeof ts === 'number' &&
      typeof rts === 'number' &&
      keyCount(e) === this.fields.length + 2
    );
  }

  /**
   * Field `i`'s value text, or undefined for a missing field (so maybe another key instead) or a
   * value JSON omits: only the generic path can say how that line prints.
   */
  private field(i: number, x: unknown): string | undefined {
    if (typeof x !== 'number') return value(x);
    // Values often repeat from one event to the next (a mid price, a bar's open): print once.
    if (x !== this.lastNums[i]) {
      this.lastNums[i] = x;
      this.lastTexts[i] = num(x);
    }
    return this.lastTexts[i];
  }
}

const CLOSE = utf8('}\n');

/** Enumerable keys of an event, counted without allocating a key array. */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/**
 * The text `<ts>,"receipt_timestamp":<rts>` of the last pair printed. The outputs of one input
 * event share its two timestamps, so the writers of one run share one of these and print each
 * pair once, not once per output.
 */
export class TimesText {
  private ts = NaN;
  private rts = NaN;
  private text = '';

  of(ts: number, rts: number): string {
    // NaN never equals itself, so a NaN is printed anew each time (as null); -0 prints as 0.
    if (ts !== this.ts || rts !== this.rts) {
      this.ts = ts;
      this.rts = rts;
      this.text = `${timeText(ts)},"receipt_timestamp":${timeText(rts)}`;
    }
    return this.text;
  }
}

/**
 * A number as `JSON.stringify` prints it (`ToString` when finite, `-0` as `0`, else `null`): by
 * calling it, which writes the digits straight into its result (a template literal goes through
 * the runtime's number-to-string cache and costs ~1.5× more).
 */
function num(x: number): string {
  return JSON.stringify(x);
}

const ZEROS = ['', '0', '00', '000', '0000', '00000'];

/**
 * A timestamp as `JSON.stringify` prints it, quickly for whole microseconds: when `x` is the double
 * nearest to u / 10⁶ for an integer u, and 10⁻⁶ ≤ x < 2³², its shortest round-trip decimal (what
 * `ToString` prints) is that of u / 10⁶ without trailing zeros — doubles there are < 4.8e-7 apart,
 * so no other decimal of ≤ 6 fractional digits rounds to x, and one with fewer significant digits
 * would need fewer fractional digits. Plain decimal notation holds for 1e-6 ≤ x < 1e21. Other
 * numbers go through {@link num}. Integer arithmetic only: ~2× faster than the generic path.
 */
export function timeText(x: number): string {
  const u = Math.round(x * 1e6);
  if (u / 1e6 !== x || !(x >= 1e-6 && x < 4294967296)) return num(x);
  let frac = u % 1e6;
  const whole = (u - frac) / 1e6;
  if (frac === 0) return `${whole}`;
  let digits = 6;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  const f = `${frac}`;
  return `${whole}.${ZEROS[digits - f.length]!}${f}`;
}

/** One value's JSON text, or undefined when only the generic path can say how it prints. */
function value(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number':
      return num(v);
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      // toJSON may depend on the key it is called with, or omit the value.
      if ((v as { toJSON?: unknown }).toJSON !== undefined) return undefined;
      return (Array.isArray(v) && levels(v)) || JSON.stringify(v);
    default:
      return undefined; // undefined, functions, symbols (omitted), bigint (throws)
  }
}

/** `[[p,s],…]` for an array of two-number arrays (order-book levels); undefined otherwise. */
function levels(a: readonly unknown[]): string | undefined {
  let s = '[';
  for (let i = 0; i < a.length; i++) {
    const l = a[i];
    if (!Array.isArray(l) || l.length !== 2 || (l as { toJSON?: unknown }).toJSON !== undefined)
      return undefined;
    const p: unknown = l[0];
    const z: unknown = l[1];
    if (typeof p !== 'number' || typeof z !== 'number') return undefined;
    s += `${i === 0 ? '' : ','}[${num(p)},${num(z)}]`;
  }
  return s + ']';
}
