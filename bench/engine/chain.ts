// The reference chain through the real engine: l2_book → l2_snapshot_fd → mid_price_fd →
// volatility_stddev_fd, and trades → tvi, ohlcv, wired by FeatureStreamGraph and fed the way the
// batch runner feeds it (SourceRouter + emitNamedDataEvent with one reused pair, as GraphStepper).
import { SourceRouter } from '../../src/core/batch/routing.ts';
import type { Event, MarketEvent } from '../../src/core/events.ts';
import { createFeature } from '../../src/core/feature/createFeature.ts';
import type { Feature } from '../../src/core/feature/Feature.ts';
import { FeatureStreamGraph } from '../../src/core/graph/FeatureStreamGraph.ts';
import type { ChainParams, ChainResult, Last } from './result.ts';

export function chainFeatures(
  p: ChainParams,
): Record<'mid' | 'volatility' | 'tvi' | 'ohlcv', Feature> {
  const inst = { exchange: p.exchange, symbol: p.symbol };
  const book = createFeature('l2_book.l2_snapshot_fd', { depth: p.depth }, [
    createFeature('l2_book', inst),
  ]);
  const mid = createFeature('price.mid_price_fd', {}, [book]);
  const trades = createFeature('trades', inst);
  return {
    mid,
    volatility: createFeature('volatility.volatility_stddev_fd', { window: p.windowSec }, [mid]),
    tvi: createFeature('tvi.trade_volume_imb_fd', { window: p.windowSec }, [trades]),
    ohlcv: createFeature('ohlcv.ohlcv_fd', { window: p.barSec }, [trades]),
  };
}

/** Run `events` through a fresh graph of `outputs` (all of the chain by default). */
export function engineChain(
  events: readonly MarketEvent[],
  p: ChainParams,
  outputs: readonly ('mid' | 'volatility' | 'tvi' | 'ohlcv')[] = ['volatility', 'tvi', 'ohlcv'],
): ChainResult {
  const f = chainFeatures(p);
  const graph = new FeatureStreamGraph(outputs.map((o) => f[o]));
  const last: Partial<Record<keyof typeof f, Last>> = {};
  for (const name of ['mid', ...outputs] as const) {
    const rec: Last = { count: 0, event: undefined };
    last[name] = rec;
    graph.setCallback(f[name], (_f, e: Event) => {
      rec.count++;
      rec.event = e;
    });
  }
  const router = new SourceRouter(graph.getIns());
  // One reused pair, as GraphStepper feeds the graph (it reads the pair only during the call).
  const input: [Feature, Event] = [graph.getIns()[0]!, events[0]!.event];
  for (const m of events) {
    const source = router.route(m);
    if (source === undefined) continue;
    input[0] = source;
    input[1] = m.event;
    graph.emitNamedDataEvent(input);
  }
  return last;
}
