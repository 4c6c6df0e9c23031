import { describe, expect, it } from 'vitest';
import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph, type GroupedNamedDataEvent } from '../graph/FeatureStreamGraph.ts';
import { parseConfigDate } from './configDate.ts';
import diffYaml from './examples/diff_mid_price.yaml?raw';
import midYaml from './examples/mid_price.yaml?raw';
import sineYaml from './examples/synthetic_sine.yaml?raw';
import tviYaml from './examples/tvi.yaml?raw';
import volYaml from './examples/volatility_mid_price.yaml?raw';
import { featuresFromConfig } from './featuresFromConfig.ts';
import { parseFeaturizerConfig } from './parseFeaturizerConfig.ts';

const tick = (t: number, bid: number, ask: number): Event => ({
  timestamp: t,
  receipt_timestamp: t + 0.01,
  bid,
  ask,
});
const trade = (t: number, side: 'buy' | 'sell', price: number, amount: number): Event => ({
  timestamp: t,
  receipt_timestamp: t,
  side,
  amount,
  price,
  id: String(t),
});

/** Build a graph from example text, feed `events` into its one source, collect every output. */
function run(yaml: string, events: readonly Event[]) {
  const config = parseFeaturizerConfig(yaml);
  const features = featuresFromConfig(config);
  const graph = new FeatureStreamGraph(config);
  const out = new Map<string, Event[]>();
  for (const f of graph.getOuts()) {
    out.set(f.toString(), []);
    graph.setCallback(f, (_, e) => out.get(f.toString())!.push(e));
  }
  const [src, ...others] = graph.getIns();
  expect(others).toHaveLength(0);
  for (const e of events) graph.emitNamedDataEvent([src!, e]);
  return { config, features, graph, out, src: src! };
}

const values = (events: readonly Event[] | undefined, field: string): number[] =>
  (events ?? []).map((e) => e[field] as number);

describe('example configs (src/core/config/examples)', () => {
  it('volatility over a ticker mid price, sharing the mid price node', () => {
    const ticks = [tick(0, 99, 101), tick(0.5, 200, 200), tick(1.5, 100, 102), tick(3, 101, 103)];
    const { features, graph, out } = run(volYaml, ticks);
    const [vol, mid] = features as [Feature, Feature];
    expect(vol.definition.name).toBe('volatility.volatility_stddev_fd');
    expect(vol.params).toEqual({ window: 60 });
    expect(vol.children[0]).toBe(mid);
    expect(mid.children[0]!.params).toEqual({
      exchange: 'BINANCE',
      instrument_type: 'spot',
      symbol: 'BTC-USDT',
    });
    expect(graph.getFeatures()).toHaveLength(3); // ticker, mid, volatility
    // sampling 1s drops the tick at 0.5 (only 0.5 s after the one passed at 0).
    expect(values(out.get(mid.toString()), 'mid_price')).toEqual([100, 101, 102]);
    const vols = values(out.get(vol.toString()), 'volatility');
    expect(vols).toHaveLength(3);
    expect(vols[0]).toBe(0);
    expect(vols[2]).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('volatility example with combined outputs emits (feature, event) groups', () => {
    const config = parseFeaturizerConfig(volYaml);
    const groups: GroupedNamedDataEvent[] = [];
    const graph = new FeatureStreamGraph(config, true, (g) => groups.push(g));
    const [src] = graph.getIns();
    graph.emitNamedDataEvent([src!, tick(0, 99, 101)]);
    graph.emitNamedDataEvent([src!, tick(2, 101, 103)]);
    expect(groups.length).toBeGreaterThan(0);
    const last = groups.at(-1)!;
    expect(last.map(([f]) => f.definition.name)).toEqual([
      'volatility.volatility_stddev_fd',
      'price.mid_price_fd',
    ]);
    expect(last[1]![1].mid_price).toBe(102);
    expect(last[0]![1].volatility).toBeCloseTo(1, 12);
  });

  it('mid price from the ticker', () => {
    const { out } = run(midYaml, [tick(10, 1, 3), tick(10.2, 5, 7), tick(12, 2, 4)]);
    expect(values(out.get('mid_price'), 'mid_price')).toEqual([2, 3]);
  });

  it('trade volume imbalance over trades', () => {
    const { features, out } = run(tviYaml, [
      trade(0, 'buy', 100, 1),
      trade(1, 'sell', 100, 1),
      trade(2, 'sell', 100, 2),
    ]);
    expect(features[0]!.children[0]!.definition.name).toBe('trades');
    const tvi = values(out.get('tvi'), 'tvi');
    expect(tvi[0]).toBe(2);
    expect(tvi[1]).toBe(0);
    expect(tvi[2]).toBeCloseTo((2 * (100 - 300)) / 400, 12);
  });

  it('diff over a named feature (deps), declared before its dep', () => {
    const { features, out } = run(diffYaml, [
      tick(0, 99, 101),
      tick(1, 109, 111),
      tick(20, 119, 121),
    ]);
    const [diff, mid] = features as [Feature, Feature];
    expect(diff.name).toBe('diff_mid_price');
    expect(diff.children[0]).toBe(mid);
    expect(mid.name).toBe('mid_price');
    expect(values(out.get('mid_price'), 'mid_price')).toEqual([100, 110, 120]);
    // window 10s: at t=20 the window holds only the newest event.
    const d = values(out.get('diff_mid_price'), 'diff');
    expect(d.slice(0, 2)).toEqual([0, 0.1]);
    expect(d[2]).toBe(0);
  });

  it('synthetic sine source over [start_date, end_date], with a volatility via deps', () => {
    const config = parseFeaturizerConfig(sineYaml);
    const start = parseConfigDate(config.start_date, 'start_date');
    const end = parseConfigDate(config.end_date, 'end_date');
    expect(end - start).toBe(60);
    const [sine] = featuresFromConfig(config);
    const source = sine!.definition;
    if (source.kind !== 'source' || !source.generate)
      throw new Error('expected a synthetic source');
    const events = source.generate(sine!.params, start, end);
    expect(events).toHaveLength(61);
    const { out } = run(sineYaml, events);
    const mids = values(out.get('sine'), 'mid_price');
    expect(mids).toHaveLength(61);
    // freq 5 at whole seconds: sin(2π·5·t) ≈ 0, so the wave sits at its mean.
    for (const m of mids) expect(m).toBeCloseTo(10000, 0);
    expect(values(out.get('sine_volatility'), 'volatility')).toHaveLength(61);
  });
});
