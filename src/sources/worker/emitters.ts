import type { Feature } from '../../core/feature/Feature.ts';
import type { EmitterFactory, EmitterLike } from '../../runtime/workerTypes.ts';
import type { SocketLike } from '../connection/SocketLike.ts';
import { ExchangeEventEmitter } from '../ExchangeEventEmitter.ts';
import { SIM_EXCHANGE, SimulatedEventEmitter } from '../sim/SimulatedEventEmitter.ts';

/**
 * The live emitters of a stream worker: the simulated market for `SIM` sources, exchange feeds
 * (over the thread's global WebSocket) for the rest. Each emitter gets only the sources it serves:
 * a worker registers every source on every emitter it returns, so they are split here.
 */
export const workerEmitters: EmitterFactory = (sources: readonly Feature[]): EmitterLike[] => {
  const sim = sources.filter((f) => f.params.exchange === SIM_EXCHANGE);
  const venues = sources.filter((f) => f.params.exchange !== SIM_EXCHANGE);
  const out: EmitterLike[] = [];
  if (sim.length > 0) out.push(only(new SimulatedEventEmitter(), sim));
  if (venues.length > 0) {
    const socketFactory = (url: string): SocketLike =>
      new (globalThis as unknown as { WebSocket: new (u: string) => SocketLike }).WebSocket(url);
    out.push(only(new ExchangeEventEmitter({ socketFactory }), venues));
  }
  return out;
};

function only(emitter: EmitterLike, served: readonly Feature[]): EmitterLike {
  const keys = new Set(served.map((f) => f.key));
  return {
    registerCallback: (f, cb) => {
      if (keys.has(f.key)) emitter.registerCallback(f, cb);
    },
    start: () => emitter.start(),
    stop: () => emitter.stop(),
  };
}
