import type { Event } from '../../core/events.ts';
import { createFeature } from '../../core/feature/createFeature.ts';
import { ExchangeEventEmitter } from '../../sources/ExchangeEventEmitter.ts';
import type { RecordingLine } from '../../sources/RecordingLine.ts';
import { fixtureFrames } from '../venues/fixtureFrames.ts';
import { FakeScheduler, FakeSocket } from './FakeSocket.ts';

/** The real Binance capture that {@link binanceLiveRun} plays. */
export const BINANCE_CAPTURE = fixtureFrames('binance-spot-aggTrade-bookTicker-real-capture.json');

/**
 * A live run of an `ExchangeEventEmitter` over the real Binance capture, on fake sockets: the
 * events each of three features (NKN-USDT trades and ticker, LRC-BTC trades) received, keyed
 * `"<definition> <symbol>"`, and the recording lines the emitter wrote.
 */
export function binanceLiveRun(): {
  got: [string, Event][];
  lines: RecordingLine[];
  emitter: ExchangeEventEmitter;
} {
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
  for (const f of BINANCE_CAPTURE) stream.receive(f);
  return { got, lines, emitter };
}
