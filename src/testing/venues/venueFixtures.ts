/**
 * Test helper: the real captured and documented frames of each venue with an adapter, from
 * `fixtures/exchanges/`, and every endpoint a venue's adapter connects to.
 */
import { readdirSync } from 'node:fs';
import { createAdapter } from '../../sources/adapters/registry.ts';
import type { Subscription } from '../../sources/adapters/VenueAdapter.ts';
import { wsApiDepthResponse } from './binanceFrames.ts';
import { fixtureFrames } from './fixtureFrames.ts';

/** Fixture file name prefix of each venue with an adapter. */
export const VENUE_PREFIX: Readonly<Record<string, string>> = {
  BINANCE: 'binance-spot-',
  BINANCE_FUTURES: 'binance-usdm-',
  BYBIT: 'bybit-v5-',
  COINBASE: 'coinbase-advanced-',
  KRAKEN: 'kraken-v2-',
  OKX: 'okx-',
};

/** Every fixture file of `exchange`, sorted. */
export function venueFixtureFiles(exchange: string): string[] {
  const prefix = VENUE_PREFIX[exchange];
  if (prefix === undefined) throw new Error(`no fixtures for ${exchange}`);
  return readdirSync(new URL('../../../fixtures/exchanges/', import.meta.url))
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort();
}

/**
 * The real frames of a venue in `files` (default: the fuzz suite's), plus the WS-API snapshot
 * responses the Binance depth captures need to sync.
 */
export function venueFrames(exchange: string, files: readonly string[]): string[] {
  const frames = files.flatMap((f) => fixtureFrames(f));
  if (exchange === 'BINANCE') {
    const rest = JSON.parse(fixtureFrames('binance-spot-depth-real-capture-LRCBTC.json')[0]!);
    frames.push(wsApiDepthResponse('LRCBTC', rest));
  }
  if (exchange === 'BINANCE_FUTURES') {
    const rest = JSON.parse(fixtureFrames('binance-usdm-depth-real-capture-KEEPUSDT.json')[0]!);
    frames.push(wsApiDepthResponse('KEEPUSDT', rest));
  }
  return frames;
}

/** Every endpoint of the venue (Bybit tells spot from linear by the connection a frame came on). */
export function endpointsOf(exchange: string): string[] {
  const urls = new Set<string>();
  for (const symbol of ['BTC-USDT', 'BTC-USDT-PERP']) {
    const subs: Subscription[] = (['trades', 'ticker', 'l2_book'] as const).map((channel) => ({
      channel,
      symbol,
    }));
    try {
      for (const u of createAdapter(exchange).endpoints(subs)) urls.add(u);
    } catch {
      // the venue has no such market (e.g. perpetuals on Binance spot)
    }
  }
  return [...urls];
}
