import { createBinanceAdapter, createBinanceFuturesAdapter } from './binance.ts';
import { createBybitAdapter } from './bybit.ts';
import { createCoinbaseAdapter } from './coinbase.ts';
import { createKrakenAdapter } from './kraken.ts';
import { createOkxAdapter } from './okx.ts';
import { neverThrows } from './kit/neverThrows.ts';
import { isSupportedExchange, supportedExchanges } from './exchangeIds.ts';
import type { Exchange, VenueAdapter } from './VenueAdapter.ts';

/** Adapter factories of the venues we support, by venue id. */
const FACTORIES: Partial<Record<Exchange, () => VenueAdapter>> = {
  BINANCE: () => createBinanceAdapter(),
  BINANCE_FUTURES: () => createBinanceFuturesAdapter(),
  COINBASE: () => createCoinbaseAdapter(),
  KRAKEN: () => createKrakenAdapter(),
  BYBIT: () => createBybitAdapter(),
  OKX: () => createOkxAdapter(),
};

export { isSupportedExchange, supportedExchanges } from './exchangeIds.ts';

/**
 * A fresh adapter (its own books and sequence state) for `exchange`, behind the `neverThrows`
 * guard: whatever a venue's code does, a frame yields outputs, never an exception.
 */
export function createAdapter(exchange: string): VenueAdapter {
  const make = isSupportedExchange(exchange) ? FACTORIES[exchange] : undefined;
  if (!make) {
    throw new Error(
      `no adapter for exchange "${exchange}" (supported: ${supportedExchanges.join(', ')})`,
    );
  }
  return neverThrows(make());
}
