/** Bybit symbols: seed ↔ venue spellings per category, and the category of a frame. */
import {
  type Json,
  frameObject,
  isObject,
  nonEmpty,
  OneSymbol,
  seedParts,
  splitConcatenated,
} from '../kit/index.ts';
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

/** Seed symbol of a category's venue symbol, from the names known so far (adds none). */
export function nameOf(n: BybitNames, category: BybitCategory, venue: string): string {
  const s = n.seedOf.get(`${category}|${venue}`);
  if (s !== undefined) return s;
  if (category === 'spot') return splitConcatenated(venue);
  if (category === 'inverse') return `${splitConcatenated(venue)}-PERP`;
  if (venue.endsWith('PERP')) return `${venue.slice(0, -4)}-USDC-PERP`;
  return `${splitConcatenated(venue)}-PERP`;
}

export function symbolOf(n: BybitNames, category: BybitCategory, venue: string): string {
  const key = `${category}|${venue}`;
  let s = n.seedOf.get(key);
  if (s === undefined) n.seedOf.set(key, (s = nameOf(n, category, venue)));
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

/**
 * The instrument a Bybit frame from `url` is about (`VenueAdapter.frameSymbol`): the venue
 * symbol of an `orderbook` (`data.s`), `publicTrade` (each trade's `s`) or `tickers`
 * (`data.symbol`) push, in the category `categoryOf` gives it; undefined for acks and pongs.
 */
export function bybitFrameSymbol(
  n: BybitNames,
  text: string,
  url: string | undefined,
): string | undefined {
  const msg = frameObject(text);
  const topic = msg?.['topic'];
  if (!msg || typeof topic !== 'string') return undefined;
  const data = msg['data'];
  const seed = (venue: string | undefined, d: Json | undefined): string | undefined =>
    venue === undefined ? undefined : nameOf(n, categoryOf(n, venue, url, d), venue);
  if (topic.startsWith('orderbook.'))
    return isObject(data) ? seed(nonEmpty(data['s']), undefined) : undefined;
  if (topic.startsWith('tickers.'))
    return isObject(data) ? seed(nonEmpty(data['symbol']), data) : undefined;
  if (!topic.startsWith('publicTrade.') || !Array.isArray(data)) return undefined;
  const one = new OneSymbol();
  for (const t of data) one.add(isObject(t) ? seed(nonEmpty(t['s']), undefined) : undefined);
  return one.symbol;
}
