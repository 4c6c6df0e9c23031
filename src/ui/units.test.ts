import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from '../session/defaultPipeline.ts';
import { unitsOf } from './units.ts';

describe('unitsOf', () => {
  it('gives the default pipeline its units: quote currency, bps, ratio, and volatility as its input', () => {
    const u = unitsOf(DEFAULT_PIPELINE);
    expect(u.get('mid')?.get('mid_price')).toBe('USDT');
    expect(u.get('spread')?.get('spread_bps')).toBe('bps');
    expect(u.get('volatility')?.get('volatility')).toBe('USDT');
    expect(u.get('tvi')?.get('tvi')).toBe('ratio');
    expect(u.get('ohlcv')?.get('close')).toBe('USDT');
    expect(u.get('ohlcv')?.get('volume')).toBe('BTC');
    expect(u.get('trades')?.get('price')).toBe('USDT');
    expect(u.get('trades')?.get('amount')).toBe('BTC');
  });

  it('leaves a field without a known unit unlabelled, and survives a cycle', () => {
    const doc = {
      version: 1 as const,
      name: 'cycle',
      nodes: [
        { id: 'a', definition: 'transforms.ewma', params: {} },
        { id: 'b', definition: 'transforms.ewma', params: {} },
      ],
      edges: [
        { id: 'ab', source: 'a', target: 'b', targetSlot: 'value' },
        { id: 'ba', source: 'b', target: 'a', targetSlot: 'value' },
      ],
    };
    expect(unitsOf(doc).get('a')?.size ?? 0).toBe(0);
  });
});
