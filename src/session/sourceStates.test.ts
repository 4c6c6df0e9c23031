import { describe, expect, it } from 'vitest';
import { sourceLabel, sourceStates } from './sourceStates.ts';

const DOC = {
  nodes: [
    { id: 'k', definition: 'l2_book', params: { exchange: 'KRAKEN', symbol: 'BTC-USDT' } },
    { id: 's', definition: 'trades', params: { exchange: 'SIM', symbol: 'BTC-USDT' } },
    { id: 'snap', definition: 'l2_book.l2_snapshot_fd', params: {} },
    { id: 'mix', definition: 'x', params: {} },
    { id: 'simOnly', definition: 'y', params: {} },
  ],
  edges: [
    { id: 'e1', source: 'k', target: 'snap' },
    { id: 'e2', source: 'snap', target: 'mix' },
    { id: 'e3', source: 's', target: 'mix' },
    { id: 'e4', source: 's', target: 'simOnly' },
  ],
};

describe('sourceStates', () => {
  it('a failed venue marks its source with the reason, and every node downstream of it', () => {
    const m = sourceStates(DOC, [
      { exchange: 'SIM', state: 'live' },
      { exchange: 'KRAKEN', state: 'error', reason: 'endpoint ws://x unreachable' },
    ]);
    expect(m.get('k')).toEqual({
      state: 'failed',
      reason: 'endpoint ws://x unreachable',
      exchange: 'KRAKEN',
      own: true,
    });
    expect(m.get('snap')).toMatchObject({ state: 'failed', exchange: 'KRAKEN', own: false });
    // The worst upstream source wins over a live one.
    expect(m.get('mix')).toMatchObject({ state: 'failed', exchange: 'KRAKEN', own: false });
    expect(m.get('simOnly')).toMatchObject({ state: 'live', exchange: 'SIM', reason: '' });
  });

  it('a source no report names yet is connecting, not live (a source just switched to a venue)', () => {
    const m = sourceStates(DOC, [{ exchange: 'SIM', state: 'live' }]);
    expect(m.get('k')).toMatchObject({ state: 'connecting', own: true });
    expect(m.get('mix')).toMatchObject({ state: 'connecting', exchange: 'KRAKEN' });
  });

  it('an ended feed is stale, a stale one says why, the worst of two reports wins', () => {
    const ended = sourceStates(DOC, [{ exchange: 'KRAKEN', state: 'stopped' }]);
    expect(ended.get('k')).toMatchObject({ state: 'stale', reason: 'feed ended' });
    const two = sourceStates(DOC, [
      { exchange: 'KRAKEN', state: 'live' },
      { exchange: 'KRAKEN', state: 'stale', reason: 'no message for 10 s' },
    ]);
    expect(two.get('snap')).toMatchObject({ state: 'stale', reason: 'no message for 10 s' });
    expect(sourceLabel(two.get('k')!)).toBe('stale: no message for 10 s');
  });

  it('a source the run left out has no state, and does not taint a node fed by a live one', () => {
    const m = sourceStates(DOC, [{ exchange: 'SIM', state: 'live' }], new Set(['k', 'snap']));
    expect(m.has('k')).toBe(false);
    expect(m.has('snap')).toBe(false);
    expect(m.get('mix')).toMatchObject({ state: 'live', exchange: 'SIM' });
  });

  it('a cycle does not loop forever and nodes without a source have no state', () => {
    const m = sourceStates(
      {
        nodes: [
          { id: 'a', definition: 'x', params: {} },
          { id: 'b', definition: 'x', params: {} },
        ],
        edges: [
          { id: '1', source: 'a', target: 'b' },
          { id: '2', source: 'b', target: 'a' },
        ],
      },
      [],
    );
    expect(m.size).toBe(0);
  });
});
