import { describe, expect, it } from 'vitest';
import { createFeature } from '../../core/feature/createFeature.ts';
import type { Event } from '../../core/events.ts';
import type { LineShare } from '../../runtime/replayTypes.ts';
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

/** Source worker 2 of 2 (it checks the odd lines nobody takes) beside a SIM book worker. */
const SECOND: LineShare = { rank: 1, of: 2 };
const bookWorker = () => [createFeature('l2_book', SIM)];

async function emitted(
  lines: string[],
  sources = [createFeature('trades', SIM)],
  share: LineShare = SECOND,
  elsewhere: ReturnType<typeof createFeature>[] = bookWorker(),
) {
  const input = replayInput(
    sources,
    { kind: 'lines', lines, ts: lines.map(() => 1e9), chunkLines: 10 },
    share,
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

  it('the only source worker decodes every line: a broken one is named', async () => {
    const broken = '{"receipt_timestamp": 5, "exchange": "SIM"';
    // Line 1 (number 0) is the first worker's share of the lines nobody takes.
    expect(await emitted([broken])).toEqual([]);
    await expect(emitted([broken], undefined, { rank: 0, of: 2 })).rejects.toThrow(/line 1/);
    await expect(emitted([broken], undefined, { rank: 0, of: 1 }, [])).rejects.toThrow(/line 1/);
  });

  it('the source workers share the lines nobody takes by line number: each is checked once', async () => {
    const ok = sim('trades', trade, 1e9);
    const brokenAt = (i: number) =>
      [ok, ok, ok].map((l, k) => (k === i ? '{"receipt_timestamp": 5, "exchange": "SIM"' : l));
    for (const i of [0, 1, 2]) {
      const checkers = [];
      for (const rank of [0, 1]) {
        const r = emitted(brokenAt(i), undefined, { rank, of: 2 }).then(
          () => undefined,
          (e: Error) => e.message,
        );
        checkers.push(await r);
      }
      const named = checkers.filter((m) => m !== undefined);
      expect(named, `broken line ${i + 1}`).toHaveLength(1);
      expect(named[0]).toMatch(new RegExp(`line ${i + 1}\\b`));
      expect(checkers[i % 2]).toBeDefined();
    }
  });

  it('a venue source’s worker decodes its venue’s lines and its share of the rest, no other', async () => {
    const kraken = [createFeature('trades', { exchange: 'KRAKEN', symbol: 'BTC-USD' })];
    const FIRST: LineShare = { rank: 0, of: 2 };
    // A broken line naming the venue is the venue worker's to name, whatever its rank.
    const krakenLine = '{"receipt_timestamp": 1e9, "exchange": "KRAKEN", "data": 5';
    await expect(emitted([krakenLine], kraken, SECOND)).rejects.toThrow(/line 1/);
    await expect(emitted([krakenLine], kraken, FIRST)).rejects.toThrow(/line 1/);
    expect(await emitted([krakenLine], bookWorker(), FIRST, kraken)).toEqual([]);
    // A line nobody's sources take: line 1 (number 0) is the first worker's share.
    const nobody = '{"receipt_timestamp": 1e9}';
    expect(await emitted([nobody], kraken, SECOND)).toEqual([]);
    await expect(emitted([nobody], kraken, FIRST)).rejects.toThrow(/line 1/);
    // The only source worker checks every line.
    await expect(emitted([nobody], kraken, SECOND, [])).rejects.toThrow(/line 1/);
    // A venue named in a \u escape could be the worker's own: decoded.
    const escaped = '{"receipt_timestamp": 1e9, "exchange": "KR\\u0041KEN", "data": 5';
    await expect(emitted([escaped], kraken, SECOND)).rejects.toThrow(/line 1/);
  });

  // A broken line still naming a channel and a symbol: whoever decodes it reports it.
  const brokenFor = (channel: string, symbol: string) =>
    `{"receipt_timestamp": 5, "exchange": "SIM", "event": {"channel": "${channel}", "symbol": "${symbol}"`;
  const ETH = { exchange: 'SIM', symbol: 'ETH-USDT' };

  it('a worker skips lines of its channel but another symbol (each book worker parses its own)', async () => {
    const books = [createFeature('l2_book', SIM)];
    const eth = [createFeature('l2_book', ETH)];
    expect(await emitted([brokenFor('l2_book', 'ETH-USDT')], books, SECOND, eth)).toEqual([]);
    await expect(emitted([brokenFor('l2_book', 'BTC-USDT')], books, SECOND, eth)).rejects.toThrow(
      /line 1/,
    );
  });

  it('a worker leaves other workers’ lines to them, and decodes its share of the rest', async () => {
    const books = [createFeature('l2_book', SIM)];
    const others = [createFeature('l2_book', ETH), createFeature('trades', SIM)];
    const FIRST: LineShare = { rank: 0, of: 3 };
    // The ETH book worker and the trades worker parse (and would report) these.
    expect(await emitted([brokenFor('l2_book', 'ETH-USDT')], books, FIRST, others)).toEqual([]);
    expect(await emitted([brokenFor('trades', 'BTC-USDT')], books, FIRST, others)).toEqual([]);
    await expect(
      emitted([brokenFor('l2_book', 'ETH-USDT')], [createFeature('l2_book', ETH)], SECOND, books),
    ).rejects.toThrow(/line 1/);
    // Lines nobody's sources take (a ticker, say) are still checked, here line 1 (number 0).
    await expect(emitted([brokenFor('ticker', 'BTC-USDT')], books, FIRST, others)).rejects.toThrow(
      /line 1/,
    );
    expect(
      await emitted([brokenFor('ticker', 'BTC-USDT')], books, { rank: 1, of: 3 }, others),
    ).toEqual([]);
    // Its own lines in any case, and an escaped line whatever it names.
    const third: LineShare = { rank: 2, of: 3 };
    await expect(emitted([brokenFor('l2_book', 'BTC-USDT')], books, third, others)).rejects.toThrow(
      /line 1/,
    );
    await expect(
      emitted([brokenFor('tr\\u0061des', 'BTC-USDT')], books, third, others),
    ).rejects.toThrow(/line 1/);
  });

  it('with a venue source elsewhere, the lines nobody takes are still shared by line number', async () => {
    const kraken = createFeature('trades', { exchange: 'KRAKEN', symbol: 'BTC-USD' });
    const books = [createFeature('l2_book', SIM)];
    const broken = brokenFor('trades', 'BTC-USD');
    await expect(emitted([broken], books, { rank: 0, of: 2 }, [kraken])).rejects.toThrow(/line 1/);
    expect(await emitted([broken], [kraken], SECOND, books)).toEqual([]);
  });
});
