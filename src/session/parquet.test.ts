import { describe, expect, it } from 'vitest';
import { runLines } from '../core/batch/runLines.ts';
import { createFeature } from '../core/feature/createFeature.ts';
import { csvColumns, csvToParquet } from './parquet.ts';

const src = (symbol: string) =>
  createFeature('ticker', { exchange: 'BINANCE', instrument_type: 'spot', symbol });
const mid = (symbol: string, name: string) =>
  createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [src(symbol)], name);
const tick = (symbol: string, t: number, bid: number): string =>
  JSON.stringify({
    exchange: 'BINANCE',
    instrument_type: 'spot',
    symbol,
    channel: 'ticker',
    event: { timestamp: t, receipt_timestamp: t, bid, ask: bid + 1 },
  });
const gap = (symbol: string): string =>
  JSON.stringify({
    gap: {
      exchange: 'BINANCE',
      symbol,
      channel: 'ticker',
      reason: 'sequence',
      receipt_timestamp: 0,
    },
  });

describe('Parquet export', () => {
  const input = [
    tick('A', 1, 10),
    tick('B', 1, 20),
    tick('A', 2, 11),
    gap('B'),
    tick('A', 3, 12),
    tick('B', 4, 21),
    tick('A', 5, 13),
  ];
  const csv = runLines([mid('A', '=a'), mid('B', "'b")], input.join('\n'), {
    format: 'csv',
  }).output;

  it('has the CSV rows: nulls where the CSV leaves gap cells empty, original names', () => {
    expect(csv.split('\n')[0]).toBe(`timestamp,receipt_timestamp,'=a-mid_price,''b-mid_price`);
    expect(csvColumns(csv)).toEqual([
      { name: 'timestamp', type: 'DOUBLE', data: [1, 2, 3, 5] },
      { name: 'receipt_timestamp', type: 'DOUBLE', data: [1, 2, 3, 5] },
      { name: '=a-mid_price', type: 'DOUBLE', data: [10.5, 11.5, 12.5, 13.5] },
      // B's gap runs from its last event (t=1) to its next (t=4), exclusive.
      { name: "'b-mid_price", type: 'DOUBLE', data: [20.5, null, null, 21.5] },
    ]);
    expect(csvToParquet(csv).byteLength).toBeGreaterThan(0);
  });

  it('gives text cells back their original text', () => {
    const text = 'timestamp,id\n1,\'=cmd\n2,"\'-1,2"\n3,plain\n';
    expect(csvColumns(text)[1]).toEqual({
      name: 'id',
      type: 'STRING',
      data: ['=cmd', '-1,2', 'plain'],
    });
  });
});
