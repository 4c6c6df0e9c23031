/**
 * Reference order-book checksums, for tests: text-based and unoptimized, so the adapters' cached
 * checksums (Kraken, OKX) are checked against an independent rendering, and venues we do not ship
 * (Kraken v1, Bitfinex) keep their vectors. Order-book checksum algorithms (research `exchanges.md` §4). Inputs are best-first levels: bids
 * highest first, asks lowest first. Each function reads only the top levels its venue specifies.
 */
import { crc32 } from '../../sources/adapters/crc32.ts';
import { formatDecimal } from '../../sources/adapters/decimal.ts';

/** A level as the venue's decimal text: `[price, size]`. */
export type TextLevel = readonly [price: string, size: string];
/** A level as JS numbers (Bitfinex): `[price, amount]`, ask amounts negative as on the wire. */
export type NumberLevel = readonly [price: number, amount: number];

export interface Sides<L> {
  readonly bids: readonly L[];
  readonly asks: readonly L[];
}

/**
 * Kraken's per-field token, written here from the venue's description (the decimal text with its
 * point removed and its leading zeros stripped), not taken from the adapter it checks.
 */
function krakenToken(decimalText: string): string {
  return decimalText.replace('.', '').replace(/^0+/, '');
}

/** Kraken's per-level token: price token followed by quantity token. */
export function krakenLevelToken(priceText: string, qtyText: string): string {
  return krakenToken(priceText) + krakenToken(qtyText);
}

/** Top-10 CRC over per-level tokens, asks first then bids, as Kraken v1 and v2 define it. */
function krakenCrc(
  sides: Sides<TextLevel>,
  token: (level: TextLevel) => string | undefined,
): number | undefined {
  let crc = 0;
  for (const levels of [sides.asks, sides.bids]) {
    const n = Math.min(10, levels.length);
    for (let i = 0; i < n; i++) {
      const t = token(levels[i]!);
      if (t === undefined) return undefined;
      crc = crc32(t, crc);
    }
  }
  return crc;
}

/**
 * Kraken websocket v1 book checksum (unsigned), over the wire strings as received (v1 sends fixed
 * decimals, e.g. `"0.05000"`).
 */
export function krakenV1Checksum(sides: Sides<TextLevel>): number {
  return krakenCrc(sides, ([p, q]) => krakenLevelToken(p, q))!;
}

/**
 * Kraken websocket v2 book checksum (unsigned): each price and quantity is first written with the
 * pair's `price_precision` / `qty_precision` decimals (from the `instrument` channel). Undefined if
 * a level is not a decimal.
 */
export function krakenV2Checksum(
  sides: Sides<TextLevel>,
  pricePrecision: number,
  qtyPrecision: number,
): number | undefined {
  return krakenCrc(sides, ([p, q]) => {
    const price = formatDecimal(p, pricePrecision);
    const qty = formatDecimal(q, qtyPrecision);
    return price === undefined || qty === undefined ? undefined : krakenLevelToken(price, qty);
  });
}

/**
 * Interleaves the top 25 of each side as `bid0, ask0, bid1, ask1, …` (a side that runs out is
 * skipped) and CRCs the `:`-joined rendering, signed. Shared by OKX and Bitfinex.
 */
function interleavedSignedCrc<L>(sides: Sides<L>, render: (level: L) => string): number {
  const { bids, asks } = sides;
  const n = Math.min(25, Math.max(bids.length, asks.length));
  let crc = 0;
  let first = true;
  for (let i = 0; i < n; i++) {
    for (const level of [bids[i], asks[i]]) {
      if (level === undefined) continue;
      crc = crc32(first ? render(level) : ':' + render(level), crc);
      first = false;
    }
  }
  return crc | 0;
}

/**
 * OKX legacy `books` checksum (signed int32), over the exact price/size strings. The live field is
 * fixed to 0 since 2026-06; this is for recordings made before that.
 */
export function okxChecksum(sides: Sides<TextLevel>): number {
  return interleavedSignedCrc(sides, ([p, s]) => p + ':' + s);
}

/**
 * Bitfinex `book` checksum (signed int32). Numbers are rendered with JS `String(n)`, as Bitfinex's
 * reference code does (`1e-7` stays `1e-7`); ask amounts must be negative, as on the wire.
 */
export function bitfinexChecksum(sides: Sides<NumberLevel>): number {
  return interleavedSignedCrc(sides, ([p, a]) => String(p) + ':' + String(a));
}
