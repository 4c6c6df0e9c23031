import { describe, expect, it } from 'vitest';
import type { Event, L2BookEvent, L2Order, Level } from '../../events.ts';
import { createFeature } from '../../feature/createFeature.ts';
import { FeatureStreamGraph } from '../../graph/FeatureStreamGraph.ts';
import { topLevelsBestLast } from '../../orderBook/BestLastBook.ts';
import { inst } from '../../../testing/core/testHelpers.ts';

const snap = (t: number, orders: L2Order[]): L2BookEvent => ({
  timestamp: t,
  receipt_timestamp: t + 0.25,
  delta: false,
  orders,
});
const delta = (t: number, orders: L2Order[]): L2BookEvent => ({
  timestamp: t,
  receipt_timestamp: t + 0.25,
  delta: true,
  orders,
});

function setup(params: Record<string, unknown> = {}) {
  const src = createFeature('l2_book', inst);
  const book = createFeature('l2_book.l2_snapshot_fd', params, [src]);
  const g = new FeatureStreamGraph([book]);
  const out: Event[] = [];
  g.setCallback(book, (_f, e) => out.push(e));
  const emit = (...evs: L2BookEvent[]): void => evs.forEach((e) => g.emitNamedDataEvent([src, e]));
  const state = () =>
    g.getStream(book).getState() as {
      book: { bids: unknown[]; asks: unknown[] };
      missingDeletes: number;
    };
  return { out, emit, state };
}

const base: L2Order[] = [
  ['bid', 99, 1],
  ['bid', 98, 2],
  ['bid', 97, 3],
  ['ask', 101, 1],
  ['ask', 102, 2],
];

describe('l2SnapshotFd', () => {
  it('skips deltas before the first snapshot, then emits top levels best first', () => {
    const { out, emit } = setup({ depth: 2 });
    emit(delta(1, [['bid', 50, 1]]), snap(2, base));
    expect(out).toEqual([
      {
        timestamp: 2,
        receipt_timestamp: 2.25,
        bids: [
          [99, 1],
          [98, 2],
        ],
        asks: [
          [101, 1],
          [102, 2],
        ],
      },
    ]);
  });

  it('applies deltas: set, insert in order, delete at size 0; a snapshot resets the book', () => {
    const { out, emit } = setup();
    emit(
      snap(1, base),
      delta(2, [
        ['bid', 98, 5], //  set
        ['bid', 98.5, 1], // insert between 99 and 98
        ['ask', 101, 0], // delete the best ask
      ]),
      snap(3, [['ask', 200, 1]]), // reset: no bids at all
    );
    expect(out[1]).toMatchObject({
      bids: [
        [99, 1],
        [98.5, 1],
        [98, 5],
        [97, 3],
      ],
      asks: [[102, 2]],
    });
    // Empty side: emitted as [], sides are not cut to equal length (the seed's min(bids, asks)).
    expect(out[2]).toMatchObject({ bids: [], asks: [[200, 1]] });
  });

  it('counts a delete of a missing level, treats it as applied and still emits (raw)', () => {
    const { out, emit, state } = setup();
    emit(snap(1, base), delta(2, [['ask', 150, 0]]));
    expect(out).toHaveLength(2);
    expect(out[1]!.asks).toEqual(out[0]!.asks);
    expect(state().missingDeletes).toBe(1);
  });

  it('depth -1 emits the full book; depth 1 only the best level', () => {
    const full = setup({ depth: -1 });
    full.emit(snap(1, base));
    expect((full.out[0]!.bids as unknown[]).length).toBe(3);
    const top = setup({ depth: 1 });
    top.emit(snap(1, base));
    expect(top.out[0]).toMatchObject({ bids: [[99, 1]], asks: [[101, 1]] });
  });

  it('emits every applied event in raw mode, including equal timestamps', () => {
    const { out, emit } = setup();
    emit(snap(1, base), delta(1, [['bid', 99, 4]]), delta(1, [['bid', 99, 4]]));
    // No unique() after the accumulate: an unchanged book at the same time is emitted again.
    expect(out.map((e) => e.timestamp)).toEqual([1, 1, 1]);
  });

  it('sampling 1s: passes the first event more than 1 s after the last one passed', () => {
    const { out, emit } = setup({ sampling: '1s' });
    emit(
      snap(0, base), //                            first: passes (last = 0)
      delta(0.5, [['bid', 99, 2]]), //            0.5 ≤ 1: dropped, but applied
      delta(1, [['bid', 99, 3]]), //              exactly 1 s: dropped (needs > 1 s)
      delta(1, [['bid', 99, 4]]), //              equal timestamps: dropped
      delta(1.000001, [['bid', 99, 5]]), //       1.000001 > 1: passes (last = 1.000001)
      delta(1.5, [['bid', 99, 6]]), //            dropped
      delta(2.1, [['bid', 99, 7]]), //            1.099999 > 1: passes
    );
    expect(out.map((e) => [e.timestamp, (e.bids as number[][])[0]![1]])).toEqual([
      [0, 1],
      [1.000001, 5],
      [2.1, 7],
    ]);
  });

  it('skip_all never emits but keeps the book current', () => {
    const { out, emit, state } = setup({ sampling: 'skip_all' });
    emit(snap(1, base), delta(2, [['ask', 100, 9]]));
    expect(out).toEqual([]);
    expect(topLevelsBestLast(state().book.asks as Level[], 1)[0]).toEqual([100, 9]);
  });
});
