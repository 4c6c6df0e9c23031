/** Bybit symbols: seed ↔ venue spellings per category, and the category of a frame. */
import { type Json, seedParts, splitConcatenated } from '../kit/index.ts';
import type { BybitCategory } from './quotes.ts';

/** The adapter's symbol state (part of its snapshot) and its fallback category. */
export interface BybitNames {
  /** `category|VENUE` → seed symbol. */
  readonly seedOf: Map<string, string>;
  /** Venue symbol → the categories it is subscribed in. */
  readonly categoriesOf: Map<string, BybitCategory[]>;
  /** Category of frames whose category cannot be told otherwise. */
  readonly defaultCategory: BybitCategory;
}

export function categoryOfUrl(url: string): BybitCategory | undefined {
  if (url.endsWith('/spot')) return 'spot';
  if (url.endsWith('/linear')) return 'linear';
  if (url.endsWith('/inverse')) return 'inverse';
  return undefined;
}

export function venueOf(n: BybitNames, symbol: string): { category: BybitCategory; venue: string } {
  const p = seedParts(symbol);
  if (!p)
    throw new RangeError(
      `BYBIT cannot serve symbol '${symbol}': expected BASE-QUOTE or BASE-QUOTE-PERP`,
    );
  let category: BybitCategory;
  let venue: string;
  if (!p.perp) {
    category = 'spot';
    venue = p.base + p.quote;
  } else if (p.quote === 'USD') {
    category = 'inverse';
    venue = `${p.base}USD`;
  } else {
    category = 'linear';
    venue = p.quote === 'USDC' ? `${p.base}PERP` : p.base + p.quote;
  }
  n.seedOf.set(`${category}|${venue}`, symbol);
  const cats = n.categoriesOf.get(venue) ?? [];
  if (!cats.includes(category)) cats.push(category);
  n.categoriesOf.set(venue, cats);
  return { category, venue };
}

export function symbolOf(n: BybitNames, category: BybitCategory, venue: string): string {
  const key = `${category}|${venue}`;
  let s = n.seedOf.get(key);
  if (s === undefined) {
    if (category === 'spot') s = splitConcatenated(venue);
    else if (category === 'inverse') s = `${splitConcatenated(venue)}-PERP`;
    else if (venue.endsWith('PERP')) s = `${venue.slice(0, -4)}-USDC-PERP`;
    else s = `${splitConcatenated(venue)}-PERP`;
    n.seedOf.set(key, s);
  }
  return s;
}

export function categoryOf(
  n: BybitNames,
  venue: string,
  url: string | undefined,
  data: Json | undefined,
): BybitCategory {
  if (url !== undefined) {
    const c = categoryOfUrl(url);
    if (c) return c;
  }
  const cats = n.categoriesOf.get(venue);
  if (cats && cats.length === 1) return cats[0]!;
  if (data && ('fundingRate' in data || 'markPrice' in data)) return 'linear';
  return n.defaultCategory;
}
