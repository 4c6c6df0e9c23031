import { describe, expect, it } from 'vitest';
import { book, runBook } from '../../../testing/core/testHelpers.ts';

describe('depthNotionalFd', () => {
  it('sums price·size over the top `levels` levels of each side; an empty side is 0', () => {
    const out = runBook('book.depth_notional_fd', { levels: 2 }, [
      // bids 99·1 + 98·2 = 99 + 196 = 295 (97·3 is level 3); asks 101·1 + 102·1 = 203
      book(
        1,
        [
          [99, 1],
          [98, 2],
          [97, 3],
        ],
        [
          [101, 1],
          [102, 1],
        ],
      ),
      book(2, [], [[101, 0.5]]), // asks 101·0.5 = 50.5
    ]);
    expect(out).toEqual([
      { timestamp: 1, receipt_timestamp: 1.25, bid_notional: 295, ask_notional: 203 },
      { timestamp: 2, receipt_timestamp: 2.25, bid_notional: 0, ask_notional: 50.5 },
    ]);
  });
});
