/**
 * Applying a frame's levels to a `LevelBook` that keeps the venue's decimal text (checksummed
 * books: Kraken, OKX). Every number goes through `num` and the price/size rules of
 * `checkedNumber.ts`; the first bad level is reported by name and nothing after it is applied.
 */
import type { BookSide, L2Order } from '../../../core/events.ts';
import { isValidPrice, isValidSize } from '../../../core/events.ts';
import { fieldProblem, num, showValue } from '../checkedNumber.ts';
import {
  applyChecked,
  BULK_LEVELS,
  type LevelBook,
  type LevelSide,
  type RawDecimal,
} from '../LevelBook.ts';

/** How a venue writes one level. */
export interface LevelShape {
  /** The level as the venue writes it, for messages (`{price, qty}`). */
  readonly expected: string;
  /** Field suffixes naming the price and the size of level `i` (`.price`, `[0]`). */
  readonly priceField: string;
  readonly sizeField: string;
  /** The raw price and size of a level, or undefined when `level` has not the venue's shape. */
  price(level: unknown): unknown;
  size(level: unknown): unknown;
  isLevel(level: unknown): boolean;
  /** A raw field's number; NaN for a spelling the venue must not use (OKX: strings only). */
  read(raw: unknown): number;
}

/**
 * Applies `levels` in order to `side` (`field` names them in messages). Each level that changed
 * the side is appended to `orders` when given. Returns the problem with the first bad level, or
 * undefined. Few levels (the usual update) are set one by one; many (a snapshot) are collected,
 * then sorted and merged at once (`LevelSide.setMany`), so no frame costs O(N²).
 */
export function applyLevels(
  side: LevelSide,
  name: BookSide,
  levels: unknown,
  field: string,
  orders: L2Order[] | undefined,
  shape: LevelShape,
): string | undefined {
  if (levels === undefined) return undefined;
  if (!Array.isArray(levels)) return `${field}: expected an array, got ${showValue(levels)}`;
  const bulk = levels.length >= BULK_LEVELS;
  const ps: number[] = [];
  const ss: number[] = [];
  const pr: RawDecimal[] = [];
  const sr: RawDecimal[] = [];
  for (let i = 0; i < levels.length; i++) {
    const level: unknown = levels[i];
    if (!shape.isLevel(level))
      return `${field}[${i}]: expected ${shape.expected}, got ${showValue(level)}`;
    const rawPrice = shape.price(level);
    const rawSize = shape.size(level);
    const price = shape.read(rawPrice);
    const size = shape.read(rawSize);
    if (!isValidPrice(price))
      return `${field}[${i}]${shape.priceField}: ${fieldProblem('price', rawPrice, price) ?? 'invalid'}`;
    if (!isValidSize(size))
      return `${field}[${i}]${shape.sizeField}: ${fieldProblem('size', rawSize, size) ?? 'invalid'}`;
    if (!bulk) {
      if (side.set(price, size, rawPrice as RawDecimal, rawSize as RawDecimal) && orders)
        orders.push([name, price, size]);
      continue;
    }
    ps.push(price);
    ss.push(size);
    pr.push(rawPrice as RawDecimal);
    sr.push(rawSize as RawDecimal);
  }
  if (bulk) applyChecked(side, name, ps, ss, pr, sr, orders);
  return undefined;
}

/** Bids then asks of `book` as `l2_book` orders (a full snapshot). */
export function bookOrders(book: LevelBook): L2Order[] {
  const orders: L2Order[] = [];
  const { bids, asks } = book;
  for (let r = 0; r < bids.length; r++) orders.push(['bid', bids.price(r), bids.size(r)]);
  for (let r = 0; r < asks.length; r++) orders.push(['ask', asks.price(r), asks.size(r)]);
  return orders;
}

/** `num` for any JSON number or decimal string (Kraken sends numbers). */
export function readAny(raw: unknown): number {
  return num(raw);
}

/** `num` for decimal strings only: a checksum needs the venue's own text (OKX). */
export function readText(raw: unknown): number {
  return typeof raw === 'string' ? num(raw) : NaN;
}
