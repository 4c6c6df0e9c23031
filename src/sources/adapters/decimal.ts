/**
 * Exact decimal text helpers. Venues checksum the decimal *text* of prices and sizes, which floats
 * cannot carry (`0.10000000` parses to `0.1`), so everything here is string arithmetic: no
 * `toFixed`, no float formatting.
 */

/** A decimal as `(-1)^negative × digits × 10^exponent`; `digits` has no leading zeros ('' = 0). */
interface DecimalParts {
  negative: boolean;
  digits: string;
  exponent: number;
}

/** Splits a JSON-style number lexeme (`-0.50`, `+1`, `2e-8`, `.5`); undefined if it is not one. */
function parseParts(text: string): DecimalParts | undefined {
  const n = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i = 1;
  }
  let digits = '';
  let fractionDigits = 0;
  let seenDigit = false;
  let seenPoint = false;
  let runStart = i;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      seenDigit = true;
      if (seenPoint) fractionDigits++;
    } else if (c === 46 /* . */ && !seenPoint) {
      digits += text.slice(runStart, i);
      runStart = i + 1;
      seenPoint = true;
    } else break;
  }
  if (!seenDigit) return undefined;
  digits += text.slice(runStart, i);
  let exponent = -fractionDigits;
  if (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 101 /* e */ && c !== 69 /* E */) return undefined;
    i++;
    let expNegative = false;
    const s = text.charCodeAt(i);
    if (s === 45 || s === 43) {
      expNegative = s === 45;
      i++;
    }
    if (i >= n) return undefined;
    let e = 0;
    for (; i < n; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      e = e * 10 + d;
    }
    exponent += expNegative ? -e : e;
  }
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  return { negative, digits: digits.slice(lead), exponent };
}

/** Places the decimal point `fractionDigits` from the right of a non-negative integer string. */
function placePoint(integer: string, fractionDigits: number): string {
  if (fractionDigits <= 0) return integer === '' ? '0' : integer;
  const padded =
    integer.length <= fractionDigits
      ? '0'.repeat(fractionDigits + 1 - integer.length) + integer
      : integer;
  const cut = padded.length - fractionDigits;
  return padded.slice(0, cut) + '.' + padded.slice(cut);
}

/** Adds one to a string of decimal digits (`'199'` → `'200'`, `'99'` → `'100'`). */
function incrementDigits(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--;
  if (i < 0) return '1' + '0'.repeat(digits.length);
  return (
    digits.slice(0, i) +
    String.fromCharCode(digits.charCodeAt(i) + 1) +
    '0'.repeat(digits.length - 1 - i)
  );
}

/** True if `text` is a decimal number lexeme (optional sign, digits, point, exponent). */
export function isDecimal(text: string): boolean {
  return parseParts(text) !== undefined;
}

/**
 * `text` written with exactly `precision` fraction digits (`'0.566'`, 4 → `'0.5660'`; `'45281'`, 1 →
 * `'45281.0'`), rounding half away from zero when it has more. `precision` 0 gives no point.
 * Undefined if `text` is not a decimal or `precision` is not a non-negative integer.
 */
export function formatDecimal(text: string, precision: number): string | undefined {
  if (!Number.isInteger(precision) || precision < 0) return undefined;
  const parts = parseParts(text);
  if (parts === undefined) return undefined;
  const { digits } = parts;
  const shift = parts.exponent + precision;
  let scaled: string;
  if (shift >= 0) {
    scaled = digits === '' ? '' : digits + '0'.repeat(shift);
  } else {
    const keep = digits.length + shift;
    if (keep < 0) scaled = '';
    else {
      scaled = digits.slice(0, keep);
      if (digits.charCodeAt(keep) >= 53 /* 5 */) scaled = incrementDigits(scaled);
    }
  }
  let lead = 0;
  while (lead < scaled.length && scaled.charCodeAt(lead) === 48) lead++;
  scaled = scaled.slice(lead);
  const body = placePoint(scaled, precision);
  return parts.negative && scaled !== '' ? '-' + body : body;
}
