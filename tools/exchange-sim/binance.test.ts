import { createBinanceAdapter } from '../../src/sources/adapters/binance.ts';
import { describeFaults } from './faultSuite.ts';

describeFaults({ venue: 'binance', symbol: 'BTC-USDT', adapter: () => createBinanceAdapter() });
