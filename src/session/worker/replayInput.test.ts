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
) {
  const input = replayInput(
    sources,
    { kind: 'lines', lines, ts: lines.map(() => 1e9), chunkLines: 10 },
    validates,
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
});
