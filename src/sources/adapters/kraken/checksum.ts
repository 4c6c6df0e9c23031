/**
 * Kraken v2 book checksum (research `exchanges.md` §4.1): CRC32 over the top-10 level tokens,
 * asks then bids, each price and quantity written with the pair's precisions. Computed from CRC
 * parts cached per level and per side, so an update costs a few table lookups per changed level.
 */
import { crc32AppendPart, crc32JoinParts, crc32PartOf, crc32PartOfInteger } from '../crc32.ts';
import { formatDecimal } from '../decimal.ts';
import type { LevelBook, LevelSide, RawDecimal } from '../LevelBook.ts';
import { isObject } from '../kit/index.ts';

/** Kraken's per-field token: the decimal text without its point and without leading zeros. */
function krakenToken(decimalText: string): string {
  const point = decimalText.indexOf('.');
  const joined =
    point < 0 ? decimalText : decimalText.slice(0, point) + decimalText.slice(point + 1);
  let lead = 0;
  while (lead < joined.length && joined.charCodeAt(lead) === 48) lead++;
  return lead === 0 ? joined : joined.slice(lead);
}

/** Decimal places Kraken uses for a pair's prices and quantities (`instrument` channel fields). */
export interface KrakenPrecision {
  readonly price_precision: number;
  readonly qty_precision: number;
}

/**
 * What the book checksum needs per pair. Below `priceLimit` / `qtyLimit`, a JSON number written
 * with that many decimals is exactly recoverable from the parsed double: its shortest `String`
 * form, rounded to the precision, is the wire value. That holds while value × 10^precision < 2^51
 * (the double's error then stays under half a unit of the last decimal).
 */
export interface PairPrecision {
  readonly priceLimit: number;
  readonly qtyLimit: number;
  /** A level's token as a `crc32` part; negative if a field is not a decimal. */
  readonly makePart: (price: RawDecimal, qty: RawDecimal) => number;
}

const ZEROS = '0'.repeat(32);

/**
 * Kraken's checksum token for one decimal at `precision` decimals: its digits without point or
 * leading zeros, fraction padded to `precision` (`0.566`, 4 → `5660`). Plain decimals take a
 * slicing fast path; anything else (exponent, extra digits, odd precision) goes through
 * `formatDecimal`. Undefined if `raw` is not a decimal.
 */
function krakenFieldToken(raw: RawDecimal, precision: number): string | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw;
  const dot = text.indexOf('.');
  const fraction = dot < 0 ? 0 : text.length - dot - 1;
  if (fraction <= precision && precision < ZEROS.length && isPlainDecimal(text)) {
    const digits = dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1);
    return stripZeros(digits + ZEROS.slice(0, precision - fraction));
  }
  const formatted = formatDecimal(text, precision);
  return formatted === undefined ? undefined : krakenToken(formatted);
}

/** Digits with at most one point, no sign or exponent. */
function isPlainDecimal(text: string): boolean {
  let points = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) points++;
    else if (c < 48 || c > 57) return false;
  }
  return points <= 1 && text.length > points;
}

function stripZeros(digits: string): string {
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 48) lead++;
  return lead === 0 ? digits : digits.slice(lead);
}

/**
 * `krakenFieldToken` as a `crc32` part. The usual case, a parsed double `raw` whose value is
 * exactly `n / 10^precision` for an integer `n` (the wire had at most `precision` decimals), skips
 * number→string formatting: the token is `n`'s digits. That is what the text path gives too: the
 * shortest text of `raw` is within one ulp of `n / 10^precision`, i.e. (below 2^50) within less
 * than half a unit of the last decimal, so padding or rounding it yields `n`. Anything else (more
 * decimals than the precision, huge values, exact text) takes the text path.
 */
function krakenFieldPart(raw: RawDecimal, precision: number, scale: number): number {
  if (typeof raw === 'number') {
    const n = Math.round(raw * scale);
    if (n / scale === raw && n > 0 && n < 2 ** 50) return crc32PartOfInteger(n);
  }
  const token = krakenFieldToken(raw, precision);
  return token === undefined ? -1 : crc32PartOf(token);
}

export function pairPrecision({
  price_precision: pp,
  qty_precision: qp,
}: KrakenPrecision): PairPrecision {
  // Beyond 10^22 powers of ten are inexact: only the text path then.
  const priceScale = pp <= 22 ? 10 ** pp : NaN;
  const qtyScale = qp <= 22 ? 10 ** qp : NaN;
  return {
    priceLimit: 2 ** 51 / 10 ** pp,
    qtyLimit: 2 ** 51 / 10 ** qp,
    makePart: (price, qty) => {
      const tp = krakenFieldPart(price, pp, priceScale);
      const tq = tp < 0 ? -1 : krakenFieldPart(qty, qp, qtyScale);
      return tq < 0 ? -1 : crc32JoinParts(tp, tq);
    },
  };
}

/** The `crc32` part of one side's top-10 token string. */
export interface SideCrc {
  version: number;
  part: number;
}

/** Per-side checksum parts of one book. */
export interface BookCrc {
  readonly asks: SideCrc;
  readonly bids: SideCrc;
}

/** A cache that matches no side yet. */
export function emptyBookCrc(): BookCrc {
  return { asks: { version: -1, part: 0 }, bids: { version: -1, part: 0 } };
}

/** Recomputes a side's top-10 part if the side changed; false if a level has no token. */
function refreshSide(side: LevelSide, cache: SideCrc, p: PairPrecision): boolean {
  if (cache.version === side.version) return true;
  let part = 0;
  const n = Math.min(10, side.length);
  for (let rank = 0; rank < n; rank++) {
    const level = side.part(rank, p.makePart);
    if (level < 0) return false;
    part = rank === 0 ? level : crc32JoinParts(part, level);
  }
  cache.version = side.version;
  cache.part = part;
  return true;
}

/**
 * CRC32 over the top-10 tokens, asks then bids. Each level's token is cached as a CRC part (its
 * register contribution and length), and each side's part per side version, so an update costs
 * a few table lookups per changed level instead of formatting and re-hashing 20 tokens.
 */
export function bookChecksum(
  book: LevelBook,
  cache: BookCrc,
  p: PairPrecision,
): number | undefined {
  const { asks, bids } = cache;
  if (!refreshSide(book.asks, asks, p) || !refreshSide(book.bids, bids, p)) return undefined;
  return crc32AppendPart(crc32AppendPart(0, asks.part), bids.part);
}

/** True if a level's JSON number is too large for its text to be recovered from the double. */
export function beyondLimits(levels: unknown, p: PairPrecision): boolean {
  if (!Array.isArray(levels)) return false;
  for (const l of levels) {
    if (!isObject(l)) continue;
    if (typeof l.price === 'number' && l.price >= p.priceLimit) return true;
    if (typeof l.qty === 'number' && l.qty >= p.qtyLimit) return true;
  }
  return false;
}
