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
