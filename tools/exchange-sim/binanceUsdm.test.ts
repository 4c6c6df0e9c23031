import { createBinanceFuturesAdapter } from '../../src/sources/adapters/binance.ts';
import { describeFaults } from './faultSuite.ts';

describeFaults({
  venue: 'binance-usdm',
  symbol: 'BTC-USDT-PERP',
  adapter: () => createBinanceFuturesAdapter(),
});
