import { describe, expect, it } from 'vitest';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { DEFAULT_PIPELINE } from './defaultPipeline.ts';
import { runIssues, venueIssues } from './runIssues.ts';

const withExchange = (id: string, exchange: unknown): PipelineDoc => ({
  ...DEFAULT_PIPELINE,
  nodes: DEFAULT_PIPELINE.nodes.map((n) =>
    n.id === id ? { ...n, params: { ...n.params, exchange } } : n,
  ),
});

describe('venueIssues', () => {
  it('accepts the Simulated market and every live venue', () => {
    for (const ex of ['SIM', 'BINANCE', 'BINANCE_FUTURES', 'COINBASE', 'KRAKEN', 'BYBIT', 'OKX'])
      expect(venueIssues(withExchange('book', ex))).toEqual([]);
  });

  it('names the node, its param and the venues it could use', () => {
    expect(venueIssues(withExchange('trades', 'NOPE'))).toEqual([
      {
        path: 'nodes[5].params.exchange',
        nodeId: 'trades',
        message:
          'node "trades" (trades): unknown exchange "NOPE" (supported: SIM, BINANCE, BINANCE_FUTURES, COINBASE, KRAKEN, BYBIT, OKX)',
      },
    ]);
  });

  it('treats Object.prototype member names and other cases as unknown venues', () => {
    for (const ex of ['constructor', 'toString', '__proto__', 'kraken', ''])
      expect(venueIssues(withExchange('book', ex)).map((i) => i.nodeId)).toEqual(['book']);
  });

  it('leaves synthetic sources (they generate events) alone; reads the venue as resolved', () => {
    const synth: PipelineDoc = {
      version: 1,
      name: 's',
      nodes: [{ id: 's', definition: 'synthetic.synthetic_sine_mid_price', params: {} }],
      edges: [],
    };
    expect(runIssues(synth)).toEqual([]);
    expect(venueIssues(withExchange('book', 5))[0]?.message).toMatch(/unknown exchange "5"/);
    const missing = withExchange('book', undefined);
    expect(venueIssues(missing)).toEqual([]);
    expect(runIssues(missing).map((i) => i.nodeId)).toContain('book');
  });
});
