import type { L2BookEvent, Level } from '../../events.ts';
import { emptyBook, type OrderBook, setLevel, topLevels } from '../../orderBook/OrderBook.ts';
import { defineFeature, slot } from '../define.ts';
import { samples, type SamplerState } from './sampler.ts';

interface L2State {
  book: OrderBook;
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
      book: emptyBook(),
      inited: false,
      sampler: { lastUs: null },
      missingDeletes: 0,
    };
    // The last emitted top-N per side: reused when unchanged (see reuseTop). A pure cache, so it
    // lives outside the snapshotted state; after a restore it just misses once.
    let lastBids: Level[] = [];
    let lastAsks: Level[] = [];
    return up!.accumulate((s: L2State, input) => {
      const e = input as L2BookEvent;
      if (!e.delta) {
        s.book = emptyBook();
        s.inited = true;
      } else if (!s.inited) {
        return [s, undefined];
      }
      for (const [side, price, size] of e.orders) {
        const ok =
          side === 'bid'
            ? setLevel(s.book.bids, price, size, true)
            : setLevel(s.book.asks, price, size, false);
        if (!ok) s.missingDeletes++;
      }
      if (!samples(sampling, s.sampler, e.timestamp)) return [s, undefined];
      const out = {
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        bids: (lastBids = reuseTop(s.book.bids, depth, lastBids)),
        asks: (lastAsks = reuseTop(s.book.asks, depth, lastAsks)),
      };
      return [s, out];
    }, start);
  },
});

/**
 * `topLevels(side, depth)`, or `prev` itself when it holds exactly the same level objects. Levels
 * are immutable (a change replaces the tuple) and emitted arrays are never mutated, so sharing is
 * safe, and an update deep in the book or on the other side then allocates nothing: building two
 * top-N arrays per update was the largest engine cost in `npm run bench`.
 */
function reuseTop(side: readonly Level[], depth: number, prev: Level[]): Level[] {
  const n = depth < 0 || depth >= side.length ? side.length : depth;
  if (prev.length !== n) return topLevels(side, depth);
  for (let i = 0; i < n; i++) if (prev[i] !== side[i]) return topLevels(side, depth);
  return prev;
}
