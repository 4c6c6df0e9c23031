import { describe, expect, it } from 'vitest';
import type { Event, MarketEvent } from '../events.ts';
import { createFeature } from '../feature/createFeature.ts';
import type { NamedDataEvent } from '../graph/FeatureStreamGraph.ts';
import { configInterval } from './configInterval.ts';
import { mergeByTimestamp } from './merge.ts';
import { OfflineFeatureStreamGenerator } from './OfflineFeatureStreamGenerator.ts';

const btc = createFeature('ticker', { exchange: 'SIM', symbol: 'BTC-USDT' });
const eth = createFeature('ticker', { exchange: 'SIM', symbol: 'ETH-USDT' });
const midBtc = createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [btc], 'mid_btc');
const midEth = createFeature('price.mid_price_fd', { dep_schema: 'ticker' }, [eth], 'mid_eth');

const tick = (t: number, bid: number, r = t): Event => ({
  timestamp: t,
  receipt_timestamp: r,
  bid,
  ask: bid + 2,
});
const market = (symbol: string, e: Event): MarketEvent =>
  ({
    exchange: 'SIM',
    instrument_type: 'spot',
    symbol,
    channel: 'ticker',
    event: e,
  }) as MarketEvent;

describe('mergeByTimestamp', () => {
  it('is stable: ties keep list order, then position; unsorted lists are sorted stably', () => {
    const a: NamedDataEvent[] = [
      [btc, tick(2, 1)],
      [btc, tick(1, 2)],
      [btc, tick(2, 3)],
    ];
    const b: NamedDataEvent[] = [
      [eth, tick(1, 4)],
      [eth, tick(2, 5)],
    ];
    expect(mergeByTimestamp([a, b]).map(([, e]) => e.bid)).toEqual([2, 4, 1, 3, 5]);
    expect(mergeByTimestamp([b, a]).map(([, e]) => e.bid)).toEqual([4, 2, 5, 1, 3]);
  });
});

describe('OfflineFeatureStreamGenerator', () => {
  it('steps one timestamp (in µs) at a time with fresh events and the updated outputs', () => {
    const gen = new OfflineFeatureStreamGenerator([midBtc, midEth], {
      named: [
        [
          [btc, tick(1, 100, 1.5)],
          [btc, tick(3, 104)],
        ],
        [
          [eth, tick(1.0000001, 10, 1.2)],
          [eth, tick(2, 12)],
        ],
      ],
    });
    expect(gen.hasNext()).toBe(true);
    const s1 = gen.next();
    expect(s1.timestamp).toBe(1);
    expect(s1.receipt_timestamp).toBe(1.5);
    expect(s1.updated.map(String)).toEqual(['mid_btc', 'mid_eth']);
    expect(s1.feature_values.get(midBtc)!.mid_price).toBe(101);
    const s2 = gen.next();
    expect(s2.updated.map(String)).toEqual(['mid_eth']);
    expect(s2.feature_values.get(midEth)!.mid_price).toBe(13);
    expect(s2.feature_values.get(midBtc)!.mid_price).toBe(101);
    expect(s1.feature_values.get(midEth)!.mid_price).toBe(11); // earlier steps are not mutated
    const s3 = gen.next();
    expect([s3.timestamp, s3.feature_values.get(midBtc)!.mid_price]).toEqual([3, 105]);
    expect(gen.hasNext()).toBe(false);
    expect(() => gen.next()).toThrow(/no more events/);
  });

  it('routes market events by instrument and channel, counting the unrouted ones', () => {
    const gen = new OfflineFeatureStreamGenerator([midEth], {
      market: [
        market('ETH-USDT', tick(2, 10)),
        market('XRP-USDT', tick(1, 1)),
        market('ETH-USDT', tick(1, 20)),
      ],
    });
    expect(gen.skipped).toBe(1);
    const mids = [...gen].map((s) => s.feature_values.get(midEth)!.mid_price);
    expect(mids).toEqual([21, 11]); // merged by timestamp
  });

  it('generates synthetic sources over the interval', () => {
    const sine = createFeature('synthetic.synthetic_sine_mid_price', { step: 1, freq: 0 });
    const steps = [
      ...new OfflineFeatureStreamGenerator([sine], { interval: { start: 10, end: 14 } }),
    ];
    expect(steps.map((s) => s.timestamp)).toEqual([10, 11, 12, 13, 14]);
    expect(steps[0]!.feature_values.get(sine)!.mid_price).toBe(10000);
    expect(() => new OfflineFeatureStreamGenerator([sine])).toThrow(/start_date and end_date/);
  });
});

describe('configInterval', () => {
  it('reads start_date/end_date as UTC and names a bad field', () => {
    const base = { feature_configs: [] };
    expect(
      configInterval({ ...base, start_date: '2023-02-01 10:00:00', end_date: '2023-02-01' }),
    ).toEqual({
      start: Date.UTC(2023, 1, 1, 10) / 1000,
      end: Date.UTC(2023, 1, 1) / 1000,
    });
    expect(configInterval(base)).toBeUndefined();
    expect(() => configInterval({ ...base, start_date: '2023-02-01', end_date: 'soon' })).toThrow(
      /end_date/,
    );
  });
});

describe('OfflineFeatureStreamGenerator from a config', () => {
  it('builds the features and generates synthetic sources over start_date..end_date', () => {
    const gen = new OfflineFeatureStreamGenerator({
      feature_configs: [
        {
          feature_definition: 'synthetic.synthetic_sine_mid_price',
          name: 'sine',
          params: { data_source: [{ step: 0.5, freq: 0 }] },
        },
      ],
      start_date: '2023-02-01 10:00:00',
      end_date: '2023-02-01 10:00:02',
    });
    const t0 = Date.UTC(2023, 1, 1, 10) / 1000;
    const steps = [...gen];
    expect(steps.map((s) => s.timestamp - t0)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(steps[4]!.updated.map(String)).toEqual(['sine']);
  });
});
