// Offline frame corpus per venue: the exchange simulator's own venue modules, driven in-process
// (no sockets, no timers) by a seeded market on a simulated clock, answered by the real adapter
// exactly as a live feed would (its `send` outputs go back to the module: Binance snapshot
// requests, Kraken resubscribes). What the adapter received, in order, is the corpus.
import type { Subscription, VenueAdapter } from '../../src/sources/adapters/VenueAdapter.ts';
import { SimConnection } from '../../tools/exchange-sim/connection.ts';
import { MarketDriver } from '../../tools/exchange-sim/market.ts';
import type { VenueModule } from '../../tools/exchange-sim/VenueModule.ts';
import { createVenues } from '../../tools/exchange-sim/venues/index.ts';

/** One received frame and the connection (adapter URL) it arrived on. */
export interface Frame {
  readonly text: string;
  readonly url: string;
  readonly receiptTs: number;
}

export interface CorpusOptions {
  readonly seed: number;
  /** Seed symbols of the market (the simulator's defaults: BTC-USDT, ETH-USDT). */
  readonly symbols: readonly string[];
  /** Simulated seconds of feed after subscribing. */
  readonly seconds: number;
  /** Market timer period, as the simulator's server (25 ms). */
  readonly tickMs: number;
  /**
   * Faults on the wire (cluster tests, #15): each frame passes through here before the adapter
   * and the corpus see it; return a changed frame (a corrupted checksum) or undefined (lost).
   */
  readonly tamper?: (f: Frame) => Frame | undefined;
}

const START_MS = 1_700_000_000_000;

/**
 * The venue modules stamp some frames (snapshots, tickers, acks) with `Date.now()`; pinning it to
 * the simulated clock while generating makes the corpus byte-for-byte reproducible.
 */
function withClock<T>(clock: { ms: number }, body: () => T): T {
  const real = Date.now;
  Date.now = () => clock.ms;
  try {
    return body();
  } finally {
    Date.now = real;
  }
}

/** A `SimConnection` whose socket is an array: frames land in `inbox` tagged with `url`. */
function connection(
  id: number,
  venue: VenueModule,
  url: string,
  inbox: Frame[],
  clock: { ms: number },
) {
  const ws = {
    readyState: 1,
    send: (text: string) => inbox.push({ text, url, receiptTs: clock.ms / 1000 }),
  };
  const u = new URL(url);
  return new SimConnection(id, venue.id, u.pathname + u.search, ws as never, clock.ms);
}

/**
 * Frames `adapter` receives from `venueId` of the simulator for `subs`, over `o.seconds` simulated
 * seconds: subscribe acks and book snapshots first, then the live mix of the venue's streams.
 */
export function generateCorpus(
  venueId: string,
  adapter: VenueAdapter,
  subs: readonly Subscription[],
  o: CorpusOptions,
): Frame[] {
  const clock = { ms: START_MS };
  return withClock(clock, () => {
    const market = new MarketDriver({ seed: o.seed, symbols: o.symbols, nowSec: clock.ms / 1000 });
    const module = createVenues(market).find((m) => m.id === venueId);
    if (!module) throw new Error(`no simulated venue ${venueId}`);
    const inbox: Frame[] = [];
    const corpus: Frame[] = [];
    const conns = new Map<string, SimConnection>();
    for (const url of adapter.endpoints(subs)) {
      const u = new URL(url);
      if (!module.accepts(u.pathname)) throw new Error(`${venueId} does not serve ${url}`);
      const conn = connection(conns.size + 1, module, url, inbox, clock);
      conns.set(url, conn);
      module.open(conn, u);
      for (const f of adapter.subscribeFrames(url, subs)) module.message(conn, f);
    }
    // Deliver everything sent so far; the adapter's answers may make the venue send more.
    const drain = () => {
      for (let i = 0; i < inbox.length; i++) {
        const f = o.tamper ? o.tamper(inbox[i]!) : inbox[i]!;
        if (f === undefined) continue;
        corpus.push(f);
        for (const out of adapter.onFrame(f.text, f.receiptTs, f.url)) {
          if (out.type !== 'send') continue;
          const conn = conns.get(out.url ?? f.url);
          if (!conn) throw new Error(`${venueId}: adapter sends to unknown ${out.url}`);
          module.message(conn, out.frame);
        }
      }
      inbox.length = 0;
    };
    drain();
    const end = clock.ms + o.seconds * 1000;
    while (clock.ms < end) {
      clock.ms += o.tickMs;
      module.tick(market.advance(clock.ms / 1000), clock.ms, false);
      drain();
    }
    return corpus;
  });
}
