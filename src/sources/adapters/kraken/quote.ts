/** Keeping the exact decimal text of Kraken v2 book numbers through `JSON.parse`. */
import { isObject } from '../kit/index.ts';
import { beyondLimits, type PairPrecision } from './checksum.ts';

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69;
}

/**
 * Wraps the JSON number after every `"price"` and `"qty"` key in quotes, so that `JSON.parse` keeps
 * its exact text (`0.10000000` would otherwise become `0.1`); Node 20 lacks the reviver's
 * `context.source`. The scan is `indexOf`-driven; text without those keys is returned as is.
 */
export function quotePriceQty(text: string): string {
  let p = text.indexOf('"price"');
  let q = text.indexOf('"qty"');
  if (p < 0 && q < 0) return text;
  const n = text.length;
  let out = '';
  let from = 0;
  while (p >= 0 || q >= 0) {
    const isPrice = q < 0 || (p >= 0 && p < q);
    let i = (isPrice ? p : q) + (isPrice ? 7 : 5);
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 58 /* : */) {
      i++;
      while (isSpace(text.charCodeAt(i))) i++;
      const c = text.charCodeAt(i);
      if (c === 45 || (c >= 48 && c <= 57)) {
        let j = i + 1;
        while (j < n && isNumberChar(text.charCodeAt(j))) j++;
        out += text.slice(from, i) + '"' + text.slice(i, j) + '"';
        from = j;
        i = j;
      }
    }
    if (isPrice) p = text.indexOf('"price"', i);
    else q = text.indexOf('"qty"', i);
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * The one `JSON.parse` of a frame. Book numbers normally come back as doubles whose text is
 * recoverable with the pair's precisions; a book frame with a value beyond that (or every book
 * frame with `alwaysQuote`) is parsed from its quoted form instead, keeping the exact text.
 */
export function parseKraken(
  text: string,
  alwaysQuote: boolean,
  precisions: ReadonlyMap<string, PairPrecision>,
): unknown {
  if (alwaysQuote) {
    return JSON.parse(text.indexOf('"book"') >= 0 ? quotePriceQty(text) : text);
  }
  const msg: unknown = JSON.parse(text);
  if (!isObject(msg) || msg.channel !== 'book' || !Array.isArray(msg.data)) return msg;
  for (const d of msg.data) {
    if (!isObject(d) || typeof d.symbol !== 'string' || d.symbol === '') continue;
    const p = precisions.get(d.symbol);
    if (p && (beyondLimits(d.bids, p) || beyondLimits(d.asks, p))) {
      return JSON.parse(quotePriceQty(text));
    }
  }
  return msg;
}
