import { describe, expect, it } from 'vitest';
import { binanceLiveRun } from '../testing/sources/binanceLiveRun.ts';

const liveRun = binanceLiveRun;

describe('ExchangeEventEmitter', () => {
  it('routes each event to the features of its (exchange, channel, symbol) only', () => {
    const { got } = liveRun();
    const firstNknTrade = got.find(([k]) => k === 'trades NKN-USDT')![1];
    // From the first frame: p "0.35280000", q "58.00000000", m false ⇒ taker buy, T 1633998523963 ms.
    expect(firstNknTrade).toMatchObject({
      price: 0.3528,
      amount: 58,
      side: 'buy',
      timestamp: 1633998523.963,
    });
    const firstLrcTrade = got.find(([k]) => k === 'trades LRC-BTC')![1];
    expect(firstLrcTrade).toMatchObject({ price: 0.00000638, amount: 177 });
    const firstTicker = got.find(([k]) => k === 'ticker NKN-USDT')![1];
    expect(firstTicker).toMatchObject({ bid: 0.3521, ask: 0.3526 });
    expect(got.filter(([k]) => k === 'ticker LRC-BTC')).toHaveLength(0);
  });
});
