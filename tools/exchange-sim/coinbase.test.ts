import { createCoinbaseAdapter } from '../../src/sources/adapters/coinbase.ts';
import { describeFaults } from './faultSuite.ts';

describeFaults({ venue: 'coinbase', symbol: 'BTC-USDT', adapter: () => createCoinbaseAdapter() });
