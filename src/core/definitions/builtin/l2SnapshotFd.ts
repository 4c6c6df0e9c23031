import type { Event, L2BookEvent, Level } from '../../events.ts';
import {
  applyOrdersBestLast,
  type BestLastBook,
  emptyBestLastBook,
  topLevelsBestLast,
} from '../../orderBook/BestLastBook.ts';
import type { Stream } from '../../stream/Stream.ts';
import type { ApplyResult } from '../../orderBook/OrderBook.ts';
import { defineFeature, slot } from '../define.ts';
import { lentBookEvent } from './bookView.ts';
import { samples, type SamplerState } from './sampler.ts';

interface L2State {
  book: BestLastBook;
  /** False until the first full snapshot: deltas before it are skipped. */
  inited: boolean;
  sampler: SamplerState;
  /** Deletes of levels that were not in the book (counted, not fatal). */
  missingDeletes: number;
}

const layout = slot('book', ['l2_book'], 'l2_book');

/** The seed's L2SnapshotFD: an order book rebuilt from `l2_book`, emitted as top-N levels. */
export const l2SnapshotFd = defineFeature({
  name: 'l2_book.l2_snapshot_fd',
  title: 'Order book',
  group: 'order book',
  description: 'Order book from L2 updates: top N bids and asks',
  // `cryptofeed`/`cryptotick` are the seed's layout names; all take the same normalized l2_book.
  depSchemas: { l2_book: layout, cryptofeed: layout, cryptotick: layout },
  params: {
    depth: {
      type: 'number',
      integer: true,
      min: -1,
      default: 25,
      unit: 'levels',
      description: 'Levels per side (-1 = full book)',
    },
    sampling: {
      type: 'sampling',
      default: 'raw',
      description: 'raw = every update | skip_all | min interval like 1s',
    },
  },
  outputKind: () => 'l2_snapshot',
  outputSchema: () => ({ bids: 'levels', asks: 'levels' }),
  stream(upstreams, params) {
    const depth = params.depth as number;
    const sampling = params.sampling!;
    const [up] = upstreams.values();
    const start: L2State = {
      book: emptyBestLastBook(),
      inited: false,
      sampler: { lastUs: null },
      missingDeletes: 0,
    };
    // The last emitted top-N per side, reused while the update touched no level inside it (levels
    // are immutable tuples and emitted arrays are never mutated, so sharing is safe). A pure cache:
    // it lives outside the snapshotted state, and belongs to one book object: a reset or a restore
    // (which clones the state) replaces the book, so the cache cannot outlive its book.
    let cacheBook: BestLastBook | null = null;
    let lastBids: Level[] | null = null;
    let lastAsks: Level[] | null = null;
    const topN = depth < 0 ? Infinity : depth;
    // Scratch for applyOrders' result: one per stream, read right after each call.
    const applied: ApplyResult = { missingDeletes: 0, bidsFrom: Infinity, asksFrom: Infinity };
    // When every consumer borrows (the built-in book features: they read levels during their call
    // and keep nothing), one reused event showing the book's own sides is lent (bookView.ts): no
    // top-N arrays and no event object per update.
    const lent = lentBookEvent(depth);
    const out: Stream<Event> = up!.fold((s: L2State, input) => {
      const e = input as L2BookEvent;
      if (!e.delta) {
        s.book = emptyBestLastBook();
        s.inited = true;
      } else if (!s.inited) {
        return undefined;
      }
      if (s.book !== cacheBook) {
        cacheBook = s.book;
        lastBids = lastAsks = null;
      }
      const { bids, asks } = s.book;
      // Snapshot-sized events are merged in O(M log M + N), not inserted level by level (O(N²)).
      applyOrdersBestLast(s.book, e.orders, applied);
      s.missingDeletes += applied.missingDeletes;
      if (applied.bidsFrom < topN) lastBids = null;
      if (applied.asksFrom < topN) lastAsks = null;
      // `raw` tested here: a call that is not inlined boxes the timestamp it is passed.
      if (sampling !== 'raw' && !samples(sampling, s.sampler, e.timestamp)) return undefined;
      if (out.downstreamsBorrow()) {
        lent.timestamp = e.timestamp;
        lent.receipt_timestamp = e.receipt_timestamp;
        lent.bids = bids;
        lent.asks = asks;
        return lent;
      }
      return {
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        bids: (lastBids ??= topLevelsBestLast(bids, depth)),
        asks: (lastAsks ??= topLevelsBestLast(asks, depth)),
      };
    }, start);
    return out;
  },
});
