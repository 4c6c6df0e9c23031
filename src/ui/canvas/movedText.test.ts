import { describe, expect, it } from 'vitest';
import type { MovedSource } from '../../session/liveFeeds.ts';
import { movedText, movedTitle } from './movedText.ts';

const KRAKEN: MovedSource = {
  nodeId: 'ktrades',
  requested: 'w1',
  worker: 2,
  withNodeId: 'kbook',
  feed: { kind: 'venue', exchange: 'KRAKEN' },
};
const SIM: MovedSource = {
  nodeId: 'book2',
  requested: undefined,
  worker: 0,
  withNodeId: 'book',
  feed: { kind: 'route', exchange: 'SIM', channel: 'l2_book', symbol: 'BTC-USDT' },
};

describe('the note on a source moved onto its feed worker', () => {
  it('says where it runs, with which feed, and the rule', () => {
    expect(movedText(KRAKEN)).toBe(
      'runs on worker #2 with the other KRAKEN sources (one connection per venue)',
    );
    expect(movedText(SIM)).toBe(
      'runs on worker #0 with the other Simulated market BTC-USDT l2_book sources (one market per route)',
    );
  });

  it('explains in the tooltip what was asked, whose worker it joined, and live = replay', () => {
    const venue = movedTitle(KRAKEN, 'Kraken book');
    expect(venue).toMatch(/^Its worker field asks for w1, but /);
    expect(venue).toContain('(Kraken book, worker #2)');
    expect(venue).toContain('KRAKEN is opened once');
    expect(venue).toContain('(live = replay)');
    const route = movedTitle(SIM, 'book');
    expect(route).toMatch(/^The scaling strategy placed this source on a worker of its own, but /);
    expect(route).toContain('the Simulated market runs BTC-USDT l2_book once');
  });
});
