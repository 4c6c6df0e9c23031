import { describe, expect, it } from 'vitest';
import type { Event } from '../core/events.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import { fixtureFrames } from '../testing/venues/fixtureFrames.ts';
import { FakeScheduler, FakeSocket } from '../testing/sources/FakeSocket.ts';
import { ExchangeEventEmitter } from './ExchangeEventEmitter.ts';
import type { RecordingLine } from './RecordingLine.ts';

const frames = fixtureFrames('binance-spot-aggTrade-bookTicker-real-capture.json');

function liveRun() {
  const sockets: FakeSocket[] = [];
  const lines: RecordingLine[] = [];
  const emitter = new ExchangeEventEmitter({
    socketFactory: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    scheduler: new FakeScheduler(),
    record: (l) => lines.push(l),
  });
  const nknTrades = createFeature('trades', { exchange: 'BINANCE', symbol: 'NKN-USDT' });
  const nknTicker = createFeature('ticker', { exchange: 'BINANCE', symbol: 'NKN-USDT' });
  const lrcTrades = createFeature('trades', { exchange: 'BINANCE', symbol: 'LRC-BTC' });
  const got: [string, Event][] = [];
  for (const f of [nknTrades, nknTicker, lrcTrades]) {
    emitter.registerCallback(f, (feature, e) =>
      got.push([feature.definition.name + ' ' + String(feature.params.symbol), e]),
    );
  }
  emitter.start();
  for (const s of sockets) s.open();
  const stream = sockets.find((s) => !s.url.includes('ws-api'))!;
  for (const f of frames) stream.receive(f);
  return { got, lines, emitter };
}

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
