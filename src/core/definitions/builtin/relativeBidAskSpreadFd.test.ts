import { describe, expect, it } from 'vitest';
import { book, runBook } from '../../../testing/core/testHelpers.ts';

const name = 'spread.relative_bid_ask_spread_fd';

describe('relativeBidAskSpreadFd', () => {
  it('is 2·(ask0 − bid0)/(ask0 + bid0), stamped with the input times', () => {
    const out = runBook(name, {}, [
      book(
        1,
        [
          [99, 1],
          [98, 5],
        ],
        [[101, 2]],
      ),
      // 2·(100.5 − 99.5)/(100.5 + 99.5) = 2/200 = 0.01
      book(2, [[99.5, 1]], [[100.5, 1]]),
    ]);
    // 2·(101 − 99)/(101 + 99) = 4/200 = 0.02
    expect(out).toEqual([
      { timestamp: 1, receipt_timestamp: 1.25, spread: 0.02 },
      { timestamp: 2, receipt_timestamp: 2.25, spread: 0.01 },
    ]);
  });

  it('emits nothing while a side is empty', () => {
    const out = runBook(name, {}, [
      book(1, [], [[101, 1]]),
      book(2, [[99, 1]], []),
      book(3, [], []),
      book(4, [[99, 1]], [[101, 1]]),
    ]);
    expect(out.map((e) => e.timestamp)).toEqual([4]);
  });

  it('is signed: a crossed book gives a negative spread (the seed took |bid − ask|)', () => {
    // 2·(99 − 101)/(99 + 101) = −4/200 = −0.02
    const out = runBook(name, {}, [book(1, [[101, 1]], [[99, 1]])]);
    expect(out[0]!.spread).toBe(-0.02);
  });
});
