import { describe, expect, it } from 'vitest';
import type { Event } from '../../events.ts';
import { createFeature } from '../../feature/createFeature.ts';
import { book, collect, inst, pluck, runBook } from '../../../testing/core/testHelpers.ts';

const name = 'price.mid_price_fd';

describe('midPriceFd', () => {
  it('is (bid0 + ask0)/2 from the book, none while a side is empty', () => {
    const out = runBook(name, {}, [
      book(1, [[99, 1]], [[101, 5]]), //   (99 + 101)/2 = 100
      book(2, [], [[101, 5]]),
      book(3, [[99, 1]], [[100, 1]]), //   (99 + 100)/2 = 99.5
    ]);
    expect(out).toEqual([
      { timestamp: 1, receipt_timestamp: 1.25, mid_price: 100 },
      { timestamp: 3, receipt_timestamp: 3.25, mid_price: 99.5 },
    ]);
  });

  it('reads bid and ask from the ticker with dep_schema ticker', () => {
    const src = createFeature('ticker', inst);
    const mid = createFeature(name, { dep_schema: 'ticker' }, [src]);
    const tick = (t: number, bid: number, ask: number): Event => ({
      timestamp: t,
      receipt_timestamp: t + 0.1,
      bid,
      ask,
    });
    // (10 + 11)/2 = 10.5
    expect(collect(mid, src, [tick(1, 10, 11)])).toEqual([
      { timestamp: 1, receipt_timestamp: 1.1, mid_price: 10.5 },
    ]);
  });

  it('samples at most one output per `sampling` interval', () => {
    const out = runBook(name, { sampling: '1s' }, [
      book(0, [[99, 1]], [[101, 1]]), //   passes
      book(1, [[98, 1]], [[101, 1]]), //   exactly 1 s later: dropped
      book(1.5, [[97, 1]], [[101, 1]]), // 1.5 s later: passes → (97 + 101)/2 = 99
    ]);
    expect(pluck(out, 'mid_price')).toEqual([100, 99]);
  });
});
