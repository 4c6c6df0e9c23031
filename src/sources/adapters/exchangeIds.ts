import type { Exchange } from './VenueAdapter.ts';

/**
 * Venue ids with an adapter, in display order — without the adapters themselves, so a screen that
 * only lists venues (the studio's first screen, its settings) does not load every venue's code.
 * `registry.ts` builds one factory per id and its test holds the two lists equal.
 */
export const supportedExchanges: readonly Exchange[] = [
  'BINANCE',
  'BINANCE_FUTURES',
  'COINBASE',
  'KRAKEN',
  'BYBIT',
  'OKX',
];

export function isSupportedExchange(exchange: string): exchange is Exchange {
  return (supportedExchanges as readonly string[]).includes(exchange);
}
