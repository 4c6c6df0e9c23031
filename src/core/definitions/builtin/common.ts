import type { Event, Level } from '../../events.ts';
import type { Feature } from '../../feature/Feature.ts';
import type { ParamSpec } from '../../params/ParamSchema.ts';
import type { Stream } from '../../stream/Stream.ts';
import { slot } from '../define.ts';
import { isLent, levelAt } from './bookView.ts';
import { mapDefined, onlyUpstream } from './upstream.ts';

/** The input of a top-of-book feature: an order-book snapshot (default `l2_snapshot_fd`). */
export const BOOK_INPUT = { l2_book: slot('book', ['l2_snapshot'], 'l2_book.l2_snapshot_fd') };

/** The input of a transform: any single-valued feature (default the mid price). */
export const SCALAR_INPUT = { scalar: slot('value', ['scalar'], 'price.mid_price_fd') };

/** The input of a trade-flow feature: a venue's trades. */
export const TRADES_INPUT = { trades: slot('trades', ['trades'], 'trades') };

/** The sliding look-back of the trade-flow features. */
export const TRADES_WINDOW: { readonly window: ParamSpec } = {
  window: {
    type: 'duration',
    default: '1m',
    unit: 's',
    description: 'Look-back: trades in [t − window, t]',
  },
};

/** The sliding look-back of the windowed transforms. */
export const LOOKBACK_WINDOW: { readonly window: ParamSpec } = {
  window: {
    type: 'duration',
    default: '1m',
    unit: 's',
    description: 'Look-back: events in [t − window, t]',
  },
};

/** How many levels per side a book feature sums. */
export const TOP_LEVELS: { readonly levels: ParamSpec } = {
  levels: {
    type: 'number',
    integer: true,
    min: 1,
    default: 5,
    unit: 'levels',
    description: 'Levels per side to sum',
  },
};

/**
 * One `field` output per book snapshot, computed from the best bid and ask levels; none while a
 * side is empty.
 */
export function fromTopOfBook(
  upstreams: ReadonlyMap<Feature, Stream<Event>>,
  field: string,
  value: (bid: Level, ask: Level) => number,
): Stream<Event> {
  const [, up] = onlyUpstream(upstreams);
  // Borrows: reads the two levels during the call only (l2_snapshot_fd may lend its book).
  return mapDefined(
    up,
    (e) => {
      const lent = isLent(e);
      const bid = levelAt(e, e.bids as Level[], 0, lent);
      const ask = levelAt(e, e.asks as Level[], 0, lent);
      if (bid === undefined || ask === undefined) return undefined;
      return {
        timestamp: e.timestamp,
        receipt_timestamp: e.receipt_timestamp,
        [field]: value(bid, ask),
      };
    },
    { borrows: true },
  );
}
