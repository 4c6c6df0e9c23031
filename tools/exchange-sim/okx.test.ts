import { createOkxAdapter } from '../../src/sources/adapters/okx.ts';
import { describeFaults } from './faultSuite.ts';

describeFaults({ venue: 'okx', symbol: 'BTC-USDT', adapter: () => createOkxAdapter() });
describeFaults({ venue: 'okx', symbol: 'BTC-USDT-PERP', adapter: () => createOkxAdapter() });
