import { createKrakenAdapter } from '../../src/sources/adapters/kraken.ts';
import { describeFaults } from './faultSuite.ts';

describeFaults({
  venue: 'kraken',
  symbol: 'BTC-USDT',
  adapter: () => createKrakenAdapter(),
  depth: 10,
  checksummed: true,
});
