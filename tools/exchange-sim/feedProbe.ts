/**
 * Test helper: a real `VenueFeed` (real adapter, `ws` sockets, real timers) pointed at a running
 * simulator, logging events and gap markers in arrival order so tests can check what was
 * delivered between a gap and the next snapshot, and rebuild the book from delivered events.
 */
import type { Channel, L2BookEvent, MarketEvent } from '../../src/core/events.ts';
import { emptyBook, type OrderBook, setLevel } from '../../src/core/orderBook/OrderBook.ts';
import type { VenueAdapter } from '../../src/sources/adapters/VenueAdapter.ts';
import type { FeedStatus } from '../../src/sources/connection/FeedStatus.ts';
import { realScheduler } from '../../src/sources/connection/SocketLike.ts';
import { VenueFeed } from '../../src/sources/connection/VenueFeed.ts';
import { wsSocketFactory } from '../../src/sources/connection/wsSocketFactory.ts';

export type Entry =
  | { readonly kind: 'event'; readonly e: MarketEvent }
  | { readonly kind: 'gap' | 'connect'; readonly detail: string };

export class FeedProbe {
  readonly log: Entry[] = [];
  readonly feed: VenueFeed;

  constructor(adapter: VenueAdapter, symbol: string, simUrl: string) {
    const channels: Channel[] = ['trades', 'ticker', 'l2_book'];
    this.feed = new VenueFeed({
      adapter,
      subscriptions: channels.map((channel) => ({ channel, symbol })),
      socketFactory: wsSocketFactory,
      scheduler: realScheduler,
      endpointOverride: simUrl,
      random: () => 0, // shortest backoff: 500 ms after the first failure
      onEvent: (e) => this.log.push({ kind: 'event', e }),
      record: (l) => {
        if ('marker' in l && (l.marker === 'gap' || l.marker === 'connect')) {
          this.log.push({
            kind: l.marker,
            detail: 'detail' in l ? String(l.detail) : (l.url ?? ''),
          });
        }
      },
    });
  }

  get status(): FeedStatus {
    return this.feed.status();
  }

  /** Events of `channel` logged at or after index `from` (l2: only snapshots when `snapshots`). */
  count(channel: Channel, from = 0, snapshots = false): number {
    let n = 0;
    for (let i = from; i < this.log.length; i++) {
      const x = this.log[i]!;
      if (x.kind !== 'event' || x.e.channel !== channel) continue;
      if (!snapshots || !(x.e.event as L2BookEvent).delta) n++;
    }
    return n;
  }

  /** Every channel flowing since `from` (with a fresh book snapshot if `snapshot`), feed live. */
  flowing(from = 0, snapshot = true): boolean {
    return (
      this.status.state === 'live' &&
      this.count('trades', from) > 0 &&
      this.count('ticker', from) > 0 &&
      (!snapshot || this.count('l2_book', from, true) > 0) &&
      this.count('l2_book', from) > this.count('l2_book', from, true)
    );
  }

  /** l2_book deltas delivered after a gap marker and before the next snapshot (must be none). */
  deltasInsideGaps(): number {
    let inGap = false;
    let bad = 0;
    for (const x of this.log) {
      if (x.kind === 'gap') inGap = true;
      else if (x.kind === 'event' && x.e.channel === 'l2_book') {
        if (!(x.e.event as L2BookEvent).delta) inGap = false;
        else if (inGap) bad++;
      }
    }
    return bad;
  }

  /** The book rebuilt from delivered l2_book events (snapshots reset it). */
  book(): OrderBook {
    const b = emptyBook();
    for (const x of this.log) {
      if (x.kind !== 'event' || x.e.channel !== 'l2_book') continue;
      const ev = x.e.event as L2BookEvent;
      if (!ev.delta) b.bids.length = b.asks.length = 0;
      for (const [side, p, s] of ev.orders)
        setLevel(side === 'bid' ? b.bids : b.asks, p, s, side === 'bid');
    }
    return b;
  }

  stop(): void {
    this.feed.stop();
  }
}

/** Poll `pred` every 20 ms until it holds; throws after `timeoutMs` naming `what`. */
export async function until(pred: () => boolean, what: string, timeoutMs = 6000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `book` limited to `depth` levels per side. */
export function top(book: OrderBook, depth: number): OrderBook {
  return { bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) };
}
