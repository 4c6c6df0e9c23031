import { describe, expect, it } from 'vitest';
import { createFeature } from '../feature/createFeature.ts';
import { BatchRunner, type BatchFormat } from './BatchRunner.ts';
import { ByteLines } from './ByteLines.ts';
import { InputLineError } from './inputLine.ts';
import { runLines, splitLines } from './runLines.ts';

const src = createFeature('ticker', { exchange: 'BINANCE', symbol: 'BTC-USDT' });
const mid = createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [src], 'mid');
const book = createFeature('l2_book', { exchange: 'BINANCE', symbol: 'BTC-USDT' });
const snap = createFeature('l2_book.l2_snapshot_fd', { depth: 1 }, [book], 'book');
const bookMid = createFeature('price.mid_price_fd', {}, [snap], 'book_mid');

const line = (channel: string, event: object, symbol = 'BTC-USDT'): string =>
  JSON.stringify({ exchange: 'BINANCE', instrument_type: 'spot', symbol, channel, event });
const ticker = (t: number, bid: number): string =>
  line('ticker', { timestamp: t, receipt_timestamp: t + 0.1, bid, ask: bid + 1 });
const l2 = (t: number, delta: boolean, orders: unknown[]): string =>
  line('l2_book', { timestamp: t, receipt_timestamp: t, delta, orders });

describe('BatchRunner', () => {
  it('writes NDJSON in emission order with fixed key order, in file order', () => {
    const input = [
      ticker(2, 100),
      ticker(1, 200),
      '',
      ticker(3, 300),
      line('ticker', { timestamp: 4, receipt_timestamp: 4, bid: 1, ask: 2 }, 'ETH-USDT'),
    ].join('\n');
    const { output, stats } = runLines([mid], input, { format: 'ndjson' });
    expect(output).toBe(
      [
        '{"feature":"mid","timestamp":2,"receipt_timestamp":2.1,"mid_price":100.5}',
        '{"feature":"mid","timestamp":1,"receipt_timestamp":1.1,"mid_price":200.5}',
        '{"feature":"mid","timestamp":3,"receipt_timestamp":3.1,"mid_price":300.5}',
        '',
      ].join('\n'),
    );
    expect(stats).toEqual({ lines: 5, events: 3, skipped: 1, outputs: 3, gaps: 0 });
  });

  it('joins as of each event of the first feature, backward, with quoted array cells', () => {
    const input = [
      ticker(1, 100),
      l2(1.5, false, [
        ['bid', 99, 1],
        ['ask', 101, 2],
      ]),
      ticker(2, 110),
      l2(2, true, [['ask', 100.5, 1]]),
      ticker(3, 120),
    ].join('\r\n');
    const { output } = runLines([mid, snap, bookMid], input, { format: 'csv' });
    expect(output.split('\n')).toEqual([
      'timestamp,receipt_timestamp,mid-mid_price,book-bids,book-asks,book_mid-mid_price',
      '1,1.1,100.5,,,',
      '2,2.1,110.5,"[[99,1]]","[[100.5,1]]",99.75',
      '3,3.1,120.5,"[[99,1]]","[[100.5,1]]",99.75',
      '',
    ]);
  });

  it('names the line and field of a malformed input', () => {
    const bad = [ticker(1, 100), l2(2, true, [['bid', 99, -1]])].join('\n');
    const err = (() => {
      try {
        runLines([mid], bad, { format: 'ndjson' });
      } catch (e) {
        return e as InputLineError;
      }
    })();
    expect(err).toBeInstanceOf(InputLineError);
    expect([err!.line, err!.message]).toEqual([
      2,
      'event.orders[0][2]: expected a size ≥ 0, got -1',
    ]);
    const cases: [string, RegExp][] = [
      ['{"exchange":', /^not valid JSON/],
      [
        line('ticker', { timestamp: 1, receipt_timestamp: 1, bid: '1', ask: 2 }),
        /^event.bid: expected a finite number, got "1"/,
      ],
      [
        line('ticker', { timestamp: 1, reciept_timestamp: 1, bid: 1, ask: 2 }),
        /^event.reciept_timestamp: unknown field/,
      ],
      [line('trade', { timestamp: 1 }), /^channel: expected trades \| ticker \| l2_book/],
      [
        line('trades', {
          timestamp: 1,
          receipt_timestamp: 1,
          side: 'BUY',
          amount: 1,
          price: 1,
          id: 'a',
        }),
        /^event.side: expected buy \| sell/,
      ],
      [
        JSON.stringify({ exchange: 'B', instrument_type: 'spot', channel: 'ticker', event: {} }),
        /^symbol: missing/,
      ],
    ];
    for (const [text, re] of cases) {
      expect(() => runLines([mid], `\n${text}`, { format: 'ndjson' })).toThrow(re);
    }
  });

  it('interleaves synthetic sources by timestamp over the interval', () => {
    const sine = createFeature('synthetic.synthetic_sine_mid_price', { freq: 0 }, [], 'sine');
    const { output } = runLines([sine], '', { format: 'ndjson', interval: { start: 0, end: 2 } });
    expect(output.trim().split('\n')).toHaveLength(3);
  });

  it('splits lines like readline', () => {
    expect([...splitLines('a\r\nb\n\nc\n')]).toEqual([
      ['a', 1],
      ['b', 2],
      ['', 3],
      ['c', 4],
    ]);
  });

  it('writes the same bytes into a ByteLines as the text it returns (NDJSON, CSV, gaps)', () => {
    const gap = JSON.stringify({
      gap: {
        exchange: 'BINANCE',
        symbol: 'BTC-USDT',
        channel: 'l2_book',
        reason: 'sequence',
        receipt_timestamp: 2.5,
      },
    });
    const input = [
      ticker(1, 100),
      l2(1.5, false, [
        ['bid', 99, 1],
        ['ask', 101, 2],
      ]),
      gap,
      ticker(2, 110.25),
      '',
      l2(3, false, [
        ['bid', 98, 1],
        ['ask', 102, 2],
      ]),
      ticker(4, 120),
      gap,
    ].join('\n');
    // A non-ASCII name, so the bytes are UTF-8 and not one byte per code unit.
    const named = createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [src], 'mitte €');
    for (const format of ['ndjson', 'csv'] as BatchFormat[]) {
      const features = [named, snap, bookMid];
      const { output, stats } = runLines(features, input, { format });
      const runner = new BatchRunner(features, { format });
      const out = new ByteLines(8);
      runner.writeInto(out);
      for (const [text, n] of splitLines(input)) expect(runner.pushLine(text, n)).toBe('');
      expect(runner.finish()).toBe('');
      expect(output).toContain(format === 'csv' ? 'mitte €' : '"gap"');
      expect(Buffer.from(out.bytes.subarray(0, out.length)).toString('utf8')).toBe(output);
      expect(runner.stats).toEqual(stats);
    }
  });
});
