import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from '../../session/defaultPipeline.ts';
import { outputNodes } from '../../core/config/outputNodes.ts';
import { combinedRow } from './combinedRow.ts';

describe('combinedRow', () => {
  const outs = outputNodes(DEFAULT_PIPELINE);
  const ev = (v: number) => ({ timestamp: v, receipt_timestamp: v, v });

  it('lists named and leaf nodes as outputs', () => {
    expect(outs.map((o) => o.name)).toEqual(['mid', 'spread', 'volatility', 'tvi', 'ohlcv']);
  });

  it('has no row until every output has emitted, then the latest of each', () => {
    const values = new Map(outs.slice(1).map((o, i) => [o.id, ev(i)]));
    expect(combinedRow(outs, values)).toBeUndefined();
    const row = combinedRow(outs, new Map([...values, ['mid', ev(9)]]));
    expect(row?.map(([n]) => n)).toEqual(['mid', 'spread', 'volatility', 'tvi', 'ohlcv']);
    expect(row?.[0]?.[1]).toEqual(ev(9));
  });
});
