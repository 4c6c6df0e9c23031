import { describe, expect, it, vi } from 'vitest';
import type { Exchange, VenueAdapter } from './VenueAdapter.ts';

// Every factory hands back an adapter that throws on everything: the registry must still give
// callers adapters that never throw.
function broken(exchange: Exchange): VenueAdapter {
  const fail = (): never => {
    throw new Error(`${exchange} bug`);
  };
  return { exchange, endpoints: fail, subscribeFrames: fail, onFrame: fail, onDisconnect: fail };
}

vi.mock('./binance.ts', () => ({
  createBinanceAdapter: () => broken('BINANCE'),
  createBinanceFuturesAdapter: () => broken('BINANCE_FUTURES'),
}));
vi.mock('./bybit.ts', () => ({ createBybitAdapter: () => broken('BYBIT') }));
vi.mock('./coinbase.ts', () => ({ createCoinbaseAdapter: () => broken('COINBASE') }));
vi.mock('./kraken.ts', () => ({ createKrakenAdapter: () => broken('KRAKEN') }));
vi.mock('./okx.ts', () => ({ createOkxAdapter: () => broken('OKX') }));

const { createAdapter, supportedExchanges } = await import('./registry.ts');

describe('createAdapter applies the never-throws guard to every venue', () => {
  it.each(supportedExchanges)('%s', (exchange) => {
    const a = createAdapter(exchange);
    expect(a.onFrame('{}', 3)).toEqual([
      {
        type: 'malformed',
        detail: `${exchange} adapter failed on a frame (Error: ${exchange} bug): {}`,
        receipt_timestamp: 3,
      },
    ]);
    expect(a.onDisconnect(4)).toEqual([
      {
        type: 'malformed',
        detail: `${exchange} adapter failed on a disconnect (Error: ${exchange} bug)`,
        receipt_timestamp: 4,
      },
    ]);
  });
});
