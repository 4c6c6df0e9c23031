import type { SimSymbol } from './simBook.ts';

// Names only, apart from the market itself: the studio's first screen (venue checks, the
// symbol picker) needs these, not the simulator (issue #14: a light page).

/** The venue id of the simulated market. */
export const SIM_EXCHANGE = 'SIM';

/** Instruments the simulated market knows; other symbols get a generic 100.00 instrument. */
export const SIM_SYMBOLS: readonly SimSymbol[] = [
  { symbol: 'BTC-USDT', price: 64000, tickSize: 0.1, lotSize: 0.0001 },
  { symbol: 'ETH-USDT', price: 3200, tickSize: 0.01, lotSize: 0.001 },
  { symbol: 'SOL-USDT', price: 150, tickSize: 0.01, lotSize: 0.01 },
];
