/**
 * Small helpers shared by the Binance, Coinbase and Bybit adapters: timestamp parsing without
 * regexes (numbers: `checkedNumber.ts`), symbol splitting, output constructors, and the optional contract extensions
 * these adapters implement on top of `VenueAdapter`.
 */
import type { Channel, MarketEvent } from '../../core/events.ts';
import type { AdapterOutput, Exchange, VenueAdapter } from './VenueAdapter.ts';

/**
 * Optional extensions (proposed for the contract; every caller of the plain `VenueAdapter` still
 * works). `url` names the connection a frame came from or a `send` must go to: Bybit serves spot
 * and linear on different sockets with identical topic names, and Binance snapshot requests go to
 * the WS-API socket, not to the stream socket whose frame triggered them.
 */
export interface ConnectionAwareAdapter extends VenueAdapter {
  onFrame(text: string, receiptTs: number, url?: string): AdapterOutput[];
  onDisconnect(receiptTs: number, url?: string): AdapterOutput[];
}

/** A `send` output that also says which connection it is for (extra field, still an AdapterOutput). */
export type RoutedSend = { readonly type: 'send'; readonly frame: string; readonly url: string };

/** A JSON object as parsed; fields are read defensively. */
export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First characters of a frame, for `malformed` details. */
export function snippet(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function malformed(detail: string, text: string, receiptTs: number): AdapterOutput {
  return { type: 'malformed', detail: `${detail}: ${snippet(text)}`, receipt_timestamp: receiptTs };
}

/** Parse one frame; a parse failure becomes a `malformed` output pushed to `out`. */
export function parseFrame(
  text: string,
  receiptTs: number,
  out: AdapterOutput[],
): Json | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    out.push(malformed(`invalid JSON (${(e as Error).message})`, text, receiptTs));
    return undefined;
  }
  if (!isObject(v)) {
    out.push(malformed('expected a JSON object', text, receiptTs));
    return undefined;
  }
  return v;
}

export function marketEvent(
  exchange: Exchange,
  instrumentType: string,
  symbol: string,
  channel: Channel,
  event: MarketEvent['event'],
): AdapterOutput {
  return {
    type: 'event',
    event: { exchange, instrument_type: instrumentType, symbol, channel, event },
  };
}

/** Cumulative days before each month (non-leap). */
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Leap years in 1..n. */
function leapsThrough(n: number): number {
  return Math.floor(n / 4) - Math.floor(n / 100) + Math.floor(n / 400);
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * RFC 3339 UTC (`2023-02-09T20:32:50.714964855Z`) → epoch seconds, keeping sub-millisecond digits
 * (`Date.parse` truncates to ms). Non-`Z` offsets fall back to `Date.parse`. NaN when unparseable.
 */
export function parseRfc3339(s: string): number {
  if (s.length < 20 || s.charCodeAt(s.length - 1) !== 90 /* Z */ || s.charCodeAt(10) !== 84) {
    const ms = Date.parse(s);
    return ms / 1000;
  }
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (!(mo >= 1 && mo <= 12)) return NaN;
  // Days since epoch (proleptic Gregorian), then fractional seconds digit by digit.
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const yy = y - 1970;
  const leaps = leapsThrough(y - 1) - leapsThrough(1969);
  const days = yy * 365 + leaps + DAYS_BEFORE[mo - 1]! + (leap && mo > 2 ? 1 : 0) + d - 1;
  let t = days * 86400 + h * 3600 + mi * 60 + se;
  if (s.charCodeAt(19) === 46 /* . */) {
    let frac = 0;
    let scale = 1;
    for (let i = 20; i < s.length - 1 && scale < 1e9; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      frac = frac * 10 + c;
      scale *= 10;
    }
    t += frac / scale;
  }
  return t;
}

/** Quote assets tried (longest first) to split a venue symbol with no separator (`LRCBTC`). */
const QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'BUSD',
  'TUSD',
  'USDP',
  'DAI',
  'BTC',
  'ETH',
  'BNB',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'JPY',
  'AUD',
  'USD',
  'MNT',
  'XRP',
  'DOGE',
  'SOL',
].sort((a, b) => b.length - a.length);

/** `NKNUSDT` → `NKN-USDT` (best effort, for frames of symbols nobody subscribed, e.g. in replay). */
export function splitConcatenated(venue: string): string {
  for (const q of QUOTES) {
    if (venue.length > q.length && venue.endsWith(q)) {
      return `${venue.slice(0, venue.length - q.length)}-${q}`;
    }
  }
  return venue;
}

/** Seed symbol parts: `BTC-USDT` → {base BTC, quote USDT, perp false}; `BTC-USDT-PERP` → perp. */
export function seedParts(
  symbol: string,
): { base: string; quote: string; perp: boolean } | undefined {
  const parts = symbol.split('-');
  if (parts.length === 2 && parts[0] && parts[1]) {
    return { base: parts[0], quote: parts[1], perp: false };
  }
  if (parts.length === 3 && parts[0] && parts[1] && parts[2] === 'PERP') {
    return { base: parts[0], quote: parts[1], perp: true };
  }
  return undefined;
}
