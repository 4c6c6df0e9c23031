/**
 * The one way adapters read numbers from a frame. A venue field becomes a number only if it is a
 * JSON number or a strict decimal string (`"63999.70"`, `"1e-8"`; not `"Infinity"`, `"0x10"`,
 * `" 5"` or `""`), and it is used only if it passes the rule of its kind — the very rule normalized
 * input lines obey (`numberProblem` in core/events.ts): a price is finite and in [1e-15, 1e15], a
 * size is 0 or in that range, an event time lies between 1970 and 2100. Nothing here throws: a bad
 * field is recorded by name, and the adapter turns it into a `malformed` output.
 */
import type { BookSide, CheckedKind, L2Order } from '../../core/events.ts';
import { MAX_MAGNITUDE, MIN_MAGNITUDE, numberProblem } from '../../core/events.ts';
import { isDecimal } from './decimal.ts';
import type { AdapterOutput } from './VenueAdapter.ts';

/** Exact powers of ten (10^22 is the largest double that is one). */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/**
 * Decimal string (or JSON number) → number; NaN for anything else (`""`, `"Infinity"`, `"0x1f"`,
 * `" 1"`, booleans, null). Plain decimals (`"63999.70000000"`) take a fast path: string→number
 * conversion cost ~20% of JSON.parse on level-heavy frames (bench `venues`). Digits with at most
 * one point whose value `m / 10^d` has `m` < 2^53 and d ≤ 22 are converted exactly: both are exact
 * doubles and one division rounds correctly, as `+text` does (Clinger's fast path). Other decimal
 * lexemes (sign, exponent, more digits) go to `+text`; they may still give ±Infinity (`"1e999"`),
 * which the kind checks reject. A non-zero decimal that underflows to 0 (`"1e-400"`) is NaN: it is
 * not the zero a size of `"0"` means.
 */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const n = v.length;
  if (n === 0) return NaN;
  if (n <= 24) {
    let m = 0;
    let point = -1;
    let plain = true;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c >= 48 && c <= 57) m = m * 10 + (c - 48);
      else if (c === 46 && point < 0) point = i;
      else {
        plain = false;
        break;
      }
    }
    const d = point < 0 ? 0 : n - point - 1;
    if (plain && n - (point < 0 ? 0 : 1) > 0 && m <= Number.MAX_SAFE_INTEGER && d <= 22)
      return d === 0 ? m : m / POW10[d]!;
  }
  if (!isDecimal(v)) return NaN;
  const x = +v;
  return x === 0 && !isZeroText(v) ? NaN : x; // `1e-400` is not zero: it underflows
}

/** True if the decimal lexeme `v` denotes zero (no non-zero digit before its exponent). */
function isZeroText(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 101 || c === 69) return true; // e / E
    if (c >= 49 && c <= 57) return false;
  }
  return true;
}

/** A value for a message: JSON text, shortened. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string;
  try {
    s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Why `v` (a raw field) is not a valid number of `kind`; undefined when it is one. */
export function fieldProblem(kind: CheckedKind, v: unknown, parsed: number): string | undefined {
  if (parsed !== parsed) return `expected a decimal number, got ${showValue(v)}`;
  return numberProblem(kind, parsed);
}

/**
 * Reads the number fields of one frame item, remembering the first bad one by name. Every getter
 * returns NaN for a bad field, so callers read all fields, then check {@link problem} once.
 */
export class FieldCheck {
  /** `field: reason` of the first bad field, if any. */
  problem: string | undefined;

  /** Marks the item bad for a non-numeric reason (a missing symbol, an unknown side). */
  fail(field: string, detail: string): void {
    this.problem ??= `${field}: ${detail}`;
  }

  private checked(kind: CheckedKind, v: unknown, field: string, scale: number): number {
    const x = num(v) / scale;
    const p = fieldProblem(kind, v, x);
    if (p === undefined) return x;
    this.problem ??= `${field}: ${p}`;
    return NaN;
  }

  price(v: unknown, field: string): number {
    return this.checked('price', v, field, 1);
  }

  size(v: unknown, field: string): number {
    return this.checked('size', v, field, 1);
  }

  /** A venue time in epoch milliseconds, returned in seconds. Epoch 0 is no time (rejected). */
  timeMs(v: unknown, field: string): number {
    const t = this.checked('timestamp', v, field, 1000);
    if (t === 0) {
      this.problem ??= `${field}: epoch 0 is not a venue time`;
      return NaN;
    }
    return t;
  }

  /** A time already parsed to epoch seconds (RFC 3339 text); `raw` is shown on failure. */
  timeSec(sec: number, raw: unknown, field: string): number {
    if (sec !== sec) {
      this.problem ??= `${field}: expected an RFC 3339 time, got ${showValue(raw)}`;
      return NaN;
    }
    const t = this.checked('timestamp', sec, field, 1);
    if (t === 0) {
      this.problem ??= `${field}: epoch 0 is not a venue time`;
      return NaN;
    }
    return t;
  }

  /** A sequence number or update id: an integer that a double holds exactly. */
  seq(v: unknown, field: string): number {
    const x = num(v);
    if (Number.isSafeInteger(x)) return x;
    this.problem ??= `${field}: expected an integer sequence number, got ${showValue(v)}`;
    return NaN;
  }
}

/** A `malformed` output whose detail starts with what was bad (`aggTrade q: expected …`). */
export function malformedField(
  what: string,
  problem: string,
  text: string | undefined,
  receiptTs: number,
): AdapterOutput {
  const frame =
    text === undefined ? '' : `: ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`;
  return { type: 'malformed', detail: `${what} ${problem}${frame}`, receipt_timestamp: receiptTs };
}

/**
 * Append `[side, price, size]` for `levels` (an array of `[price, size, …]`, numbers or decimal
 * strings). Returns the problem with the first bad level, naming it (`b[3][1]: expected a positive
 * price, got "-5"`), or undefined when every level is valid.
 */
export function pushLevels(
  orders: L2Order[],
  side: BookSide,
  levels: unknown,
  field: string,
): string | undefined {
  if (levels === undefined) return undefined;
  if (!Array.isArray(levels)) return `${field}: expected an array, got ${showValue(levels)}`;
  for (let i = 0; i < levels.length; i++) {
    const l: unknown = levels[i];
    if (!Array.isArray(l)) return `${field}[${i}]: expected [price, size], got ${showValue(l)}`;
    const p = num(l[0]);
    const s = num(l[1]);
    // The common case costs two comparisons per number; messages are built only for a bad level.
    if (!(p >= MIN_MAGNITUDE && p <= MAX_MAGNITUDE))
      return `${field}[${i}][0]: ${fieldProblem('price', l[0], p) ?? 'invalid'}`;
    if (!(s === 0 || (s >= MIN_MAGNITUDE && s <= MAX_MAGNITUDE)))
      return `${field}[${i}][1]: ${fieldProblem('size', l[1], s) ?? 'invalid'}`;
    orders.push([side, p, s]);
  }
  return undefined;
}
