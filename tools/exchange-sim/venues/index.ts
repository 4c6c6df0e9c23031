import type { MarketDriver } from '../market.ts';
import type { VenueModule } from '../VenueModule.ts';
import { binanceVenue } from './binance.ts';
import { bybitVenue } from './bybit.ts';
import { coinbaseVenue } from './coinbase.ts';
import { krakenVenue } from './kraken.ts';
import { okxVenue } from './okx.ts';

/** Every simulated venue; their upgrade paths do not overlap, so order does not matter. */
export function createVenues(market: MarketDriver): VenueModule[] {
  return [
    binanceVenue(market, false),
    binanceVenue(market, true),
    coinbaseVenue(market),
    bybitVenue(market),
    krakenVenue(market),
    okxVenue(market),
  ];
}
