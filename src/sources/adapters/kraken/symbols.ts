import { frameObject, isObject, nonEmpty, OneSymbol, scanOneValue } from '../kit/index.ts';

/** A `book`, `trade` or `ticker` frame with its channel first. */
const DATA_HEAD = /^\{"channel":"(?:book|trade|ticker)",/;

/** Seed symbol (`BTC-USD`) → Kraken v2 pair (`BTC/USD`); undefined for what Kraken spot lacks (perps). */
export function krakenSymbol(symbol: string): string | undefined {
  const dash = symbol.indexOf('-');
  if (dash <= 0 || dash !== symbol.lastIndexOf('-') || dash === symbol.length - 1) return undefined;
  return symbol.slice(0, dash) + '/' + symbol.slice(dash + 1);
}

/** Kraken v2 pair (`BTC/USD`) → seed symbol (`BTC-USD`). v2 already writes BTC, not XBT. */
export function seedSymbolFromKraken(pair: string): string {
  return pair.replace('/', '-');
}

/**
 * The instrument a Kraken v2 frame is about (`VenueAdapter.frameSymbol`): the `symbol` of each
 * item of a `book`, `trade` or `ticker` frame's data; undefined for other channels, acks and
 * frames naming several pairs.
 */
export function krakenFrameSymbol(text: string): string | undefined {
  // The common shape, as Kraken writes it (channel first): only the data items name a pair.
  if (DATA_HEAD.test(text)) {
    const pair = scanOneValue(text, 'symbol');
    if (pair !== null) return pair === undefined ? undefined : seedSymbolFromKraken(pair);
  }
  const msg = frameObject(text);
  if (!msg || !Array.isArray(msg.data)) return undefined;
  const ch = msg.channel;
  if (ch !== 'book' && ch !== 'trade' && ch !== 'ticker') return undefined;
  const one = new OneSymbol();
  for (const d of msg.data) {
    const pair = isObject(d) ? nonEmpty(d.symbol) : undefined;
    one.add(pair === undefined ? undefined : seedSymbolFromKraken(pair));
  }
  return one.symbol;
}
