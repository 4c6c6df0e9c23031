// References for replay tests: Simulated market events, and each node's outputs from the pure
// batch runner over them (independent of the replay paths under test).
import { BatchRunner } from '../../core/batch/BatchRunner.ts';
import { featuresFromPipeline, type PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event, MarketEvent } from '../../core/events.ts';
import { SimulatedMarket } from '../../sources/sim/SimulatedMarket.ts';
import { SIM_SYMBOLS } from '../../sources/sim/SimulatedEventEmitter.ts';

/** The first `n` events of the Simulated market on its first symbol. */
export function simMarketEvents(n: number, seed: number): MarketEvent[] {
  const m = new SimulatedMarket({ seed, startTime: 1.7e9, symbols: [SIM_SYMBOLS[0]!] });
  const out: MarketEvent[] = [];
  for (const e of m) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

/** Each node's outputs from the pure batch runner (the independent reference). */
export function batchOutputsByNode(
  doc: PipelineDoc,
  events: readonly MarketEvent[],
): Map<string, Event[]> {
  const { byNodeId } = featuresFromPipeline(doc);
  const want = new Map<string, Event[]>();
  for (const [nodeId, f] of byNodeId) {
    const runner = new BatchRunner([f], { format: 'ndjson' });
    const text = events.map((e) => runner.pushEvent(e)).join('') + runner.finish();
    const list = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const { feature: _f, ...e } = JSON.parse(l) as Event & { feature: string };
        return e;
      });
    want.set(nodeId, list);
  }
  return want;
}
