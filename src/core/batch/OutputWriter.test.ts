import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph } from '../graph/FeatureStreamGraph.ts';
import { BatchRunner } from './BatchRunner.ts';
import { parseGapLine } from './gaps.ts';
import { parseInputLine } from './inputLine.ts';
import { OutputWriter } from './OutputWriter.ts';
import { runLines, splitLines } from './runLines.ts';
import { SeqAligner } from './SeqAligner.ts';
import { SourceRouter } from './routing.ts';

const SYMBOLS = ['A-USDT', 'B-USDT', 'C-USDT'] as const;
const srcOf = (symbol: string): Feature =>
  createFeature('ticker', { exchange: 'BINANCE', instrument_type: 'spot', symbol });
const midOf = (symbol: string): Feature =>
  createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [srcOf(symbol)], symbol[0]);
const FEATURES = SYMBOLS.map(midOf);

const tick = (symbol: string, t: number, bid: number): string =>
  JSON.stringify({
    exchange: 'BINANCE',
    instrument_type: 'spot',
    symbol,
    channel: 'ticker',
    event: { timestamp: t, receipt_timestamp: t + 0.5, bid, ask: bid + 1 },
  });
const gapOf = (symbol: string, reason = 'sequence', at = 0): string =>
  JSON.stringify({
    gap: { exchange: 'BINANCE', symbol, channel: 'ticker', reason, receipt_timestamp: at },
  });

/** One input of a generated file: a ticker of SYMBOLS[s] (timestamp t, bid) or a gap of it. */
type Item = { s: number; t: number; bid: number } | { s: number; gap: true };

/**
 * The expected CSV, computed naively from the whole file: the as-of join of every A event with
 * the last B and C event at or before it, cells empty while that source was in a gap — from its
 * last timestamp before the gap marker to its first after (exclusive both; open: to the end).
 */
function referenceCsv(items: readonly Item[]): string {
  const events: { t: number; bid: number }[][] = SYMBOLS.map(() => []);
  const gaps: { start: number; end: number }[][] = SYMBOLS.map(() => []);
  const open: (number | undefined)[] = SYMBOLS.map(() => undefined);
  for (const it of items) {
    if ('gap' in it) {
      if (open[it.s] === undefined) open[it.s] = events[it.s]!.at(-1)!.t;
    } else {
      if (open[it.s] !== undefined) gaps[it.s]!.push({ start: open[it.s]!, end: it.t });
      open[it.s] = undefined;
      events[it.s]!.push({ t: it.t, bid: it.bid });
    }
  }
  SYMBOLS.forEach(
    (_, s) => open[s] !== undefined && gaps[s]!.push({ start: open[s]!, end: Infinity }),
  );
  const rows = ['timestamp,receipt_timestamp,A-mid_price,B-mid_price,C-mid_price'];
  const cell = (s: number, t: number): string => {
    if (gaps[s]!.some((g) => g.start < t && t < g.end)) return '';
    const last = events[s]!.filter((e) => e.t <= t).at(-1);
    return last ? String(last.bid + 0.5) : '';
  };
  for (const a of events[0]!)
    rows.push(`${a.t},${a.t + 0.5},${a.bid + 0.5},${cell(1, a.t)},${cell(2, a.t)}`);
  return `${rows.join('\n')}\n`;
}

/**
 * Files of three ticker streams, each in non-decreasing time, interleaved in any order (arrival
 * order), every source's first event first; gaps of B and C anywhere after that.
 */
const files = fc
  .tuple(
    ...SYMBOLS.map(() => fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 25 })),
    fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 120 }),
  )
  .map((parts) => {
    const steps = parts.slice(0, 3) as number[][];
    const order = parts[3] as number[];
    const t = [100, 100, 100];
    const items: Item[] = SYMBOLS.map((_, s) => ({ s, t: 100, bid: 1000 + s }));
    const left = steps.map((x) => x.slice(1));
    for (const o of order) {
      const s = o % 3;
      if (o >= 3 && s > 0) items.push({ s, gap: true });
      else if (left[s]!.length > 0) {
        t[s]! += left[s]!.shift()!;
        items.push({ s, t: t[s]!, bid: items.length });
      }
    }
    for (let s = 0; s < 3; s++)
      for (const d of left[s]!) items.push({ s, t: (t[s]! += d), bid: items.length });
    return items;
  });

const text = (items: readonly Item[]): string =>
  items
    .map((it) => ('gap' in it ? gapOf(SYMBOLS[it.s]!) : tick(SYMBOLS[it.s]!, it.t, it.bid)))
    .join('\n');

/**
 * The worker runtime's path, in one thread: every input numbered and fed to a graph, its outputs
 * collected with their input number and handed to a SeqAligner in batches of random sizes, late.
 */
function alignedRun(
  features: readonly Feature[],
  input: string,
  format: 'csv' | 'ndjson',
  cuts: number[],
): string {
  const graph = new FeatureStreamGraph(features);
  const router = new SourceRouter(graph.getIns());
  const aligned = new SeqAligner(new OutputWriter(features, format));
  const outs: { seq: number; pos: number; ev: Event }[] = [];
  let seq = 0;
  features.forEach((f, pos) => graph.setCallback(f, (_f, ev) => outs.push({ seq, pos, ev })));
  let text = new OutputWriter(features, format).header();
  let sent = 0;
  const deliver = (all: boolean): void => {
    const n = all ? outs.length : Math.min(outs.length, sent + (cuts.shift() ?? 0));
    const batch = outs.slice(sent, n).sort((x, y) => x.seq - y.seq || x.pos - y.pos);
    text += aligned.outputs(batch);
    sent = n;
    // As the runtime's collector does once it has released every output up to an input.
    if (sent === outs.length && cuts.length % 2 === 0) text += aligned.progress(seq);
  };
  for (const [line, n] of splitLines(input)) {
    const g = parseGapLine(line, n);
    if (g) aligned.gap(g);
    else {
      const m = parseInputLine(line, n)!;
      const f = router.route(m)!;
      seq = aligned.input(f, m.event.timestamp);
      graph.emitNamedDataEvent([f, m.event]);
    }
    deliver(false);
  }
  deliver(true);
  return text + aligned.finish();
}

describe('OutputWriter: the as-of join, bounded, with gaps', () => {
  it('equals a naive whole-file as-of join, gaps leaving empty cells', () => {
    fc.assert(
      fc.property(files, (items) => {
        expect(runLines(FEATURES, text(items), { format: 'csv' }).output).toBe(referenceCsv(items));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the same bytes when outputs come back late and batched (worker runtime)', () => {
    fc.assert(
      fc.property(files, fc.array(fc.nat(6)), (items, cuts) => {
        for (const format of ['csv', 'ndjson'] as const) {
          const input = text(items);
          expect(alignedRun(FEATURES, input, format, [...cuts])).toBe(
            runLines(FEATURES, input, { format }).output,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('marks each gap of a configured source in NDJSON: one line, start and end, its features', () => {
    const spread = createFeature(
      'price.mid_price_fd',
      { dep_schema: 'ticker' },
      [srcOf('B-USDT')],
      'B2',
    );
    const input = [
      tick('A-USDT', 1, 10),
      tick('B-USDT', 1.5, 20),
      gapOf('B-USDT', 'checksum', 1.7),
      gapOf('B-USDT', 'disconnect', 1.8), // already in the gap: no second marker
      gapOf('X-USDT', 'sequence', 1.8), // no configured source: ignored
      tick('A-USDT', 2, 11),
      tick('B-USDT', 3, 21),
      gapOf('C-USDT', 'sequence', 3.1), // C never sent anything: starts at the input's time
    ].join('\n');
    const { output, stats } = runLines([...FEATURES, spread], input, { format: 'ndjson' });
    expect(output.split('\n')).toEqual([
      '{"feature":"A","timestamp":1,"receipt_timestamp":1.5,"mid_price":10.5}',
      '{"feature":"B","timestamp":1.5,"receipt_timestamp":2,"mid_price":20.5}',
      '{"feature":"B2","timestamp":1.5,"receipt_timestamp":2,"mid_price":20.5}',
      '{"feature":"A","timestamp":2,"receipt_timestamp":2.5,"mid_price":11.5}',
      '{"gap":{"source":"data_source_ticker_' +
        srcOf('B-USDT').key.slice(0, 8) +
        '","exchange":"BINANCE","instrument_type":"spot","symbol":"B-USDT","channel":"ticker","reason":"checksum","start":1.5,"end":3,"features":["B","B2"]}}',
      '{"feature":"B","timestamp":3,"receipt_timestamp":3.5,"mid_price":21.5}',
      '{"feature":"B2","timestamp":3,"receipt_timestamp":3.5,"mid_price":21.5}',
      '{"gap":{"source":"data_source_ticker_' +
        srcOf('C-USDT').key.slice(0, 8) +
        '","exchange":"BINANCE","instrument_type":"spot","symbol":"C-USDT","channel":"ticker","reason":"sequence","start":3,"end":3,"features":["C"],"open":true}}',
      '',
    ]);
    expect(stats).toMatchObject({ outputs: 6, gaps: 2 });
  });

  it('rejects a malformed gap line naming the field', () => {
    const bad = JSON.stringify({
      gap: {
        exchange: 'BINANCE',
        symbol: 'B-USDT',
        channel: 'book',
        reason: 'x',
        receipt_timestamp: 1,
      },
    });
    expect(() => runLines(FEATURES, bad, { format: 'csv' })).toThrow(/gap\.channel/);
    expect(() => runLines(FEATURES, '{"gap":{},"x":1}', { format: 'csv' })).toThrow(
      /x: unknown key/,
    );
    const gapSymbol = tick('gap', 1, 5).replace('"symbol":"gap"', '"symbol":"gap","gap":1');
    expect(() => runLines(FEATURES, gapSymbol, { format: 'csv' })).toThrow(/unknown key/);
    // A market event whose symbol is "gap" is a market event.
    expect(runLines(FEATURES, tick('gap', 1, 5), { format: 'ndjson' }).stats.skipped).toBe(1);
  });
});

describe('OutputWriter with outputs stamped before their trigger (OHLCV bucket ends)', () => {
  const trades = createFeature('trades', {
    exchange: 'BINANCE',
    instrument_type: 'spot',
    symbol: 'B-USDT',
  });
  const bars = createFeature('ohlcv.ohlcv_fd', { window: 10 }, [trades], 'bars');
  const features = [midOf('A-USDT'), bars];
  const trade = (t: number, price: number): string =>
    JSON.stringify({
      exchange: 'BINANCE',
      instrument_type: 'spot',
      symbol: 'B-USDT',
      channel: 'trades',
      event: { timestamp: t, receipt_timestamp: t, side: 'buy', amount: 1, price, id: String(t) },
    });
  /** Ticker A every step; B trades now and then (a bar is written only when the next one comes). */
  const input = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.boolean()), { minLength: 1, maxLength: 60 })
    .map((steps) => {
      let t = 100;
      const lines = [trade(100, 50)];
      for (const [d, isTrade] of steps) {
        t += d;
        lines.push(isTrade ? trade(t, 50 + d) : tick('A-USDT', t, 10 + d));
      }
      return lines.join('\n');
    });

  it('equals the naive as-of join over all outputs, also through the aligner', () => {
    fc.assert(
      fc.property(input, fc.array(fc.nat(4)), (text, cuts) => {
        const all = runLines(features, text, { format: 'ndjson' })
          .output.trimEnd()
          .split('\n')
          .filter((l) => l !== '')
          .map(
            (l) =>
              JSON.parse(l) as { feature: string; timestamp: number } & Record<string, unknown>,
          );
        const cols = ['open', 'high', 'low', 'close', 'volume', 'vwap', 'num_trades', 'start'];
        const expected = [
          `timestamp,receipt_timestamp,A-mid_price,${cols.map((c) => `bars-${c}`).join(',')}`,
        ];
        for (const a of all.filter((o) => o.feature === 'A')) {
          const bar = all.filter((o) => o.feature === 'bars' && o.timestamp <= a.timestamp).at(-1);
          expected.push(
            [
              a.timestamp,
              a.receipt_timestamp,
              a.mid_price,
              ...cols.map((c) => bar?.[c] ?? ''),
            ].join(','),
          );
        }
        const csv = runLines(features, text, { format: 'csv' }).output;
        expect(csv).toBe(`${expected.join('\n')}\n`);
        expect(alignedRun(features, text, 'csv', cuts)).toBe(csv);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SeqAligner', () => {
  it('holds no notes for inputs whose outputs have all been released', () => {
    const aligned = new SeqAligner(new OutputWriter(FEATURES, 'csv'));
    const src = FEATURES[1]!.dataSources()[0]!;
    for (let i = 0; i < 5000; i++) aligned.input(src, i);
    expect(aligned.queued).toBe(10_000); // nothing released yet: every note waits
    let max = 0;
    for (let i = 5000; i < 10_000; i++) {
      aligned.progress(aligned.input(src, i));
      max = Math.max(max, aligned.queued);
    }
    expect(max).toBe(0);
  });
});

describe('CSV memory is independent of input length', () => {
  const run = (lines: Iterable<string>): { max: number; rows: number } => {
    const r = new BatchRunner(FEATURES, { format: 'csv' });
    let max = 0;
    let n = 0;
    for (const l of lines) {
      r.pushLine(l, ++n);
      const b = r.bufferSizes();
      max = Math.max(max, b.pendingRows, ...b.seriesItems, b.gaps);
    }
    r.finish();
    return { max, rows: r.stats.outputs };
  };
  function* gen(n: number, line: (i: number) => string | undefined): Generator<string> {
    for (let i = 0; i < n; i++) {
      const l = line(i);
      if (l !== undefined) yield l;
    }
  }
  const N = 60_000;

  it('when a non-key output never emits (its source is absent)', () => {
    const { max, rows } = run(gen(N, (i) => tick('A-USDT', i, 100)));
    expect(rows).toBe(N);
    expect(max).toBeLessThanOrEqual(2100);
  });

  it('when a non-key source goes silent for good', () => {
    const { max, rows } = run(
      gen(N, (i) =>
        i === 1
          ? tick('B-USDT', 1, 5)
          : i === 2
            ? tick('C-USDT', 1, 5)
            : tick('A-USDT', i * 10, 100),
      ),
    );
    expect(rows).toBe(N - 2);
    expect(max).toBeLessThanOrEqual(2100); // 3600 s at one row per 10 s, plus compaction slack
  });

  it('when the key output never emits', () => {
    const { max, rows } = run(gen(N, (i) => tick(i % 2 ? 'B-USDT' : 'C-USDT', i, 100)));
    expect(rows).toBe(0);
    expect(max).toBeLessThanOrEqual(2100);
  });

  it('when a gap never closes, or gaps keep coming', () => {
    const { max } = run(
      gen(N, (i) =>
        i === 5 ? gapOf('B-USDT') : tick(SYMBOLS[i > 5 && i % 3 === 1 ? 2 : i % 3]!, i * 3, 100),
      ),
    );
    expect(max).toBeLessThanOrEqual(2100);
    const again = run(
      gen(N, (i) => (i % 7 === 0 ? gapOf('C-USDT') : tick(SYMBOLS[i % 3]!, i, 100))),
    );
    expect(again.max).toBeLessThanOrEqual(2100);
  });
});
