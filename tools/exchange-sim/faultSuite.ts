/**
 * The fault matrix every venue runs against the simulator (one Vitest file per venue, so the two
 * cores run venues in parallel): gap, close, malformed, refuse — and bad checksum where the venue
 * has checksums. Each test starts its own simulator on port 0 and stops it.
 */
import { describe, expect, it } from 'vitest';
import type { VenueAdapter } from '../../src/sources/adapters/VenueAdapter.ts';
import { FeedProbe, top, until } from './feedProbe.ts';
import { type ExchangeSim, startExchangeSim } from './server.ts';
import type { FaultKind, VenueId } from './types.ts';

export interface VenueCase {
  readonly venue: VenueId;
  /** Seed symbol the feed subscribes (`BTC-USDT-PERP` for perps). */
  readonly symbol: string;
  readonly adapter: () => VenueAdapter;
  /** Levels per side the client book keeps (Kraken: its subscribed depth). */
  readonly depth?: number;
  readonly checksummed?: boolean;
}

const TRUE_SYMBOL = 'BTC-USDT';
const T = { timeout: 15_000 };

async function withFeed(
  c: VenueCase,
  body: (sim: ExchangeSim, p: FeedProbe) => Promise<void>,
  start = true,
) {
  const sim = await startExchangeSim({ port: 0, seed: 7, symbols: [TRUE_SYMBOL] });
  const p = new FeedProbe(c.adapter(), c.symbol, sim.url);
  if (start) p.feed.start();
  try {
    await body(sim, p);
  } finally {
    p.stop();
    await sim.close();
  }
}

/** Inject a book fault until it causes a gap (a Kraken book may re-converge by chance). */
async function injectUntilGap(sim: ExchangeSim, p: FeedProbe, c: VenueCase, kind: FaultKind) {
  for (let attempt = 0; ; attempt++) {
    sim.inject({ venue: c.venue, kind });
    try {
      return await until(() => p.status.counters.gaps > 0, `a gap after ${kind}`, 2000);
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

/** After resync: pause the market (flushing every stream) and expect the books to agree. */
async function expectTrueBook(sim: ExchangeSim, p: FeedProbe, c: VenueCase) {
  const depth = c.depth ?? Infinity;
  sim.pause();
  const truth = () => JSON.stringify(top(sim.book(TRUE_SYMBOL), depth));
  await until(() => JSON.stringify(p.book()) === truth(), 'the rebuilt book to match', 3000).catch(
    () => expect(p.book()).toEqual(top(sim.book(TRUE_SYMBOL), depth)),
  );
  sim.resume();
}

export function describeFaults(c: VenueCase): void {
  describe(`${c.venue} ${c.symbol} against the exchange simulator`, () => {
    it.each(c.checksummed ? (['drop', 'corrupt-checksum'] as const) : (['drop'] as const))(
      '%s ⇒ one gap, resync, no l2_book until the fresh snapshot, book = true book',
      async (kind) => {
        await withFeed(c, async (sim, p) => {
          await until(() => p.flowing(), 'live events');
          const mark = p.log.length;
          await injectUntilGap(sim, p, c, kind);
          const gap = p.log.findIndex((x, i) => i >= mark && x.kind === 'gap');
          expect(gap).toBeGreaterThanOrEqual(mark);
          await until(() => p.flowing(gap) && p.count('l2_book', gap) > 3, 'resync');
          const st = p.status.counters;
          expect(st.gaps).toBe(1);
          expect(st.checksumFailures).toBe(kind === 'corrupt-checksum' || c.checksummed ? 1 : 0);
          expect(p.deltasInsideGaps()).toBe(0);
          await expectTrueBook(sim, p, c);
        });
      },
      T.timeout,
    );

    it('close ⇒ reconnect, subscriptions restored, events flowing again', T, async () => {
      await withFeed(c, async (sim, p) => {
        await until(() => p.flowing(), 'live events');
        const before = sim.connections().map((x) => x.subscriptions.length);
        const mark = p.log.length;
        sim.inject({ venue: c.venue, kind: 'close' });
        await until(() => p.status.counters.reconnects >= 1 && p.flowing(mark), 'reconnect');
        expect(
          sim
            .connections()
            .map((x) => x.subscriptions.length)
            .sort(),
        ).toEqual(before.sort());
        expect(p.deltasInsideGaps()).toBe(0);
        await expectTrueBook(sim, p, c);
      });
    });

    it('malformed ⇒ counted once, the feed carries on', T, async () => {
      await withFeed(c, async (sim, p) => {
        await until(() => p.flowing(), 'live events');
        const conn = sim
          .connections()
          .sort((a, b) => b.subscriptions.length - a.subscriptions.length)[0]!;
        sim.inject({ venue: c.venue, kind: 'malformed', connection: conn.id });
        const mark = p.log.length;
        await until(
          () => p.status.counters.malformed === 1 && p.flowing(mark, false),
          'events after it',
        );
        expect(p.status.counters).toMatchObject({ malformed: 1, gaps: 0, reconnects: 0 });
      });
    });

    it('refuse ⇒ error "venue unavailable from this location"', T, async () => {
      await withFeed(
        c,
        async (sim, p) => {
          sim.inject({ venue: c.venue, kind: 'refuse', durationSec: 30 });
          p.feed.start();
          await until(() => p.status.state === 'error', 'the error state');
          expect(p.status.reason).toContain('venue unavailable from this location');
          expect(p.status.reason).toMatch(/HTTP (403|451)/);
        },
        false,
      );
    });
  });
}
