import { describe, expect, it } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import type { Event } from '../../core/events.ts';
import { replayInput } from './replayInput.ts';

const SIM = { exchange: 'SIM', symbol: 'BTC-USDT' };
const sim = (channel: string, event: object, t: number) =>
  JSON.stringify({
    receipt_timestamp: t,
    exchange: 'SIM',
    event: { exchange: 'SIM', instrument_type: 'spot', symbol: 'BTC-USDT', channel, event },
  });
const trade = {
  timestamp: 1e9,
  receipt_timestamp: 1e9,
  price: 10,
  amount: 1,
  side: 'buy',
  id: 't1',
};
const book = { timestamp: 1e9, receipt_timestamp: 1e9, bids: [[9, 1]], asks: [[11, 1]] };

async function emitted(
  lines: string[],
  sources = [createFeature('trades', SIM)],
  validates = false,
  elsewhere: ReturnType<typeof createFeature>[] = [],
) {
  const input = replayInput(
    sources,
    { kind: 'lines', lines, ts: lines.map(() => 1e9), chunkLines: 10 },
    validates,
    elsewhere,
  );
  await new Promise<void>((resolve) => {
    input.onLoad = resolve;
    if (input.request(0)) resolve();
  });
  const got: [number, Event][] = [];
  for (let i = 0; i < lines.length; i++) input.push(i, (s, ev) => got.push([s, ev]));
  return got;
}

describe('replayInput (a replay worker reading its recording)', () => {
  it('routes only its own sources’ events, also from a line whose channel is \\u-escaped', async () => {
    const escaped = sim('trades', trade, 1e9).replace('"trades"', '"tr\\u0061des"');
    expect(JSON.parse(escaped)).toEqual(JSON.parse(sim('trades', trade, 1e9)));
    const got = await emitted([sim('l2_book', book, 1e9), sim('trades', trade, 1e9), escaped]);
    expect(got.map(([s]) => s)).toEqual([0, 0]);
    expect(got[0]![1]).toMatchObject({ price: 10 });
  });

  it('the validating worker decodes every line: a broken one is named', async () => {
    const broken = '{"receipt_timestamp": 5, "exchange": "SIM"';
    expect(await emitted([broken])).toEqual([]);
    await expect(emitted([broken], undefined, true)).rejects.toThrow(/line 1/);
  });

  it('a worker with a venue source decodes every line (no shortcut outside SIM)', async () => {
    const kraken = createFeature('trades', { exchange: 'KRAKEN', symbol: 'BTC-USD' });
    // A broken line is still found and named, as the in-thread replay does.
    await expect(emitted(['{"receipt_timestamp": 1e9}'], [kraken])).rejects.toThrow(/line 1/);
  });

  // A broken line still naming a channel and a symbol: whoever decodes it reports it.
  const brokenFor = (channel: string, symbol: string) =>
    `{"receipt_timestamp": 5, "exchange": "SIM", "event": {"channel": "${channel}", "symbol": "${symbol}"`;
  const ETH = { exchange: 'SIM', symbol: 'ETH-USDT' };

  it('a worker skips lines of its channel but another symbol (each book worker parses its own)', async () => {
    const books = [createFeature('l2_book', SIM)];
    expect(await emitted([brokenFor('l2_book', 'ETH-USDT')], books)).toEqual([]);
    await expect(emitted([brokenFor('l2_book', 'BTC-USDT')], books)).rejects.toThrow(/line 1/);
  });

  it('the validating worker leaves other workers’ lines to them, and decodes the rest', async () => {
    const books = [createFeature('l2_book', SIM)];
    const others = [createFeature('l2_book', ETH), createFeature('trades', SIM)];
    // The ETH book worker and the trades worker parse (and would report) these.
    expect(await emitted([brokenFor('l2_book', 'ETH-USDT')], books, true, others)).toEqual([]);
    expect(await emitted([brokenFor('trades', 'BTC-USDT')], books, true, others)).toEqual([]);
    await expect(
      emitted([brokenFor('l2_book', 'ETH-USDT')], [createFeature('l2_book', ETH)]),
    ).rejects.toThrow(/line 1/);
    // Lines nobody's sources take (a ticker, say) are still checked by the validator.
    await expect(emitted([brokenFor('ticker', 'BTC-USDT')], books, true, others)).rejects.toThrow(
      /line 1/,
    );
    // Its own lines too, and an escaped line whatever it names.
    await expect(emitted([brokenFor('l2_book', 'BTC-USDT')], books, true, others)).rejects.toThrow(
      /line 1/,
    );
    await expect(
      emitted([brokenFor('tr\\u0061des', 'BTC-USDT')], books, true, others),
    ).rejects.toThrow(/line 1/);
  });

  it('with a venue source elsewhere, the validating worker decodes every line', async () => {
    const kraken = createFeature('trades', { exchange: 'KRAKEN', symbol: 'BTC-USD' });
    const books = [createFeature('l2_book', SIM)];
    await expect(emitted([brokenFor('trades', 'BTC-USD')], books, true, [kraken])).rejects.toThrow(
      /line 1/,
    );
  });
});
