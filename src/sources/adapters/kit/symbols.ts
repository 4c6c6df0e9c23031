/** Seed symbols (`BTC-USDT`, `BTC-USDT-PERP`) and venue spellings without a separator. */

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
