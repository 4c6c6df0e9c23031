import { describe, expect, it } from 'vitest';
import { book, runBook } from '../../../testing/core/testHelpers.ts';

describe('micropriceFd', () => {
  it('weights each top price by the opposite size; none while a side is empty', () => {
    const out = runBook('price.microprice_fd', {}, [
      // (99·3 + 101·1)/(1 + 3) = (297 + 101)/4 = 398/4 = 99.5: heavy asks pull it to the bid
      book(1, [[99, 1]], [[101, 3]]),
      book(2, [], [[101, 3]]),
      // equal sizes: the plain mid, (99·2 + 101·2)/4 = 100
      book(
        3,
        [
          [99, 2],
          [98, 9],
        ],
        [[101, 2]],
      ),
    ]);
    expect(out).toEqual([
      { timestamp: 1, receipt_timestamp: 1.25, microprice: 99.5 },
      { timestamp: 3, receipt_timestamp: 3.25, microprice: 100 },
    ]);
  });
});
