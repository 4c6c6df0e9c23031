/**
 * Decimal helpers only tests need (the adapters keep venue text as sent and only pad it with
 * `formatDecimal`). Built on the product's `formatDecimal`, so they check it as they are used.
 */
import { formatDecimal, isDecimal } from '../../sources/adapters/decimal.ts';

/**
 * The canonical spelling of a decimal: no sign for positives, no leading or trailing zeros, no
 * exponent (`'+08477.50'` → `'8477.5'`, `'2e-8'` → `'0.00000002'`, `'-0.0'` → `'0'`). Two spellings
 * of the same value give the same string. Undefined if `text` is not a decimal.
 */
export function canonicalDecimal(text: string): string | undefined {
  if (!isDecimal(text)) return undefined;
  const e = text.search(/[eE]/);
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const fractionDigits = point < 0 ? 0 : mantissa.length - point - 1;
  // With this many decimals the value is written exactly: formatDecimal does not round.
  let body = formatDecimal(text, Math.max(0, fractionDigits - exponent));
  if (body === undefined) return undefined;
  if (body.includes('.')) body = body.replace(/0+$/, '').replace(/\.$/, '');
  return body === '-0' ? '0' : body;
}

/**
 * A JS number as a plain decimal string, without exponent (`1e-7` → `'0.0000001'`). This is the
 * shortest text that round-trips the double, so it equals the wire text (minus trailing zeros)
 * whenever the wire text had at most 15 significant digits. Undefined for NaN and ±Infinity.
 */
export function numberToDecimal(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  return canonicalDecimal(String(value));
}
