import { createBybitAdapter } from '../../src/sources/adapters/bybit.ts';
import { describeFaults } from './faultSuite.ts';

// Bybit documents no contiguity rule for `u`, so the adapter sees a lost delta only with
// `strictUpdateIds` (the simulator's `u` is +1 per push, which the research asks to verify live).
describeFaults({
  venue: 'bybit',
  symbol: 'BTC-USDT',
  adapter: () => createBybitAdapter({ strictUpdateIds: true }),
});
describeFaults({
  venue: 'bybit',
  symbol: 'BTC-USDT-PERP',
  adapter: () => createBybitAdapter({ strictUpdateIds: true }),
});
