// Child process of bench/engine.bench.ts: runs one comparison (BENCH_ENGINE_CASE) in a fresh
// process and prints its timings as one JSON line on stdout, so no comparison's ratio depends on
// what ran before it in the same process.
import { SimulatedMarket } from '../../src/sources/sim/SimulatedMarket.ts';
import type { MarketEvent } from '../../src/core/events.ts';
import { engineChain } from './chain.ts';
import { fusedChain } from './fused.ts';
import { PerformanceObserver } from 'node:perf_hooks';
import { gcMsPerSpan, pairedRuns, type SideTimes } from './pairedRuns.ts';
import { type ChainParams, describeResult } from './result.ts';

/** The comparisons, by case name: the engine side and the fused side over the same events. */
export const CASES = {
  d25: { label: 'book→mid (depth 25)', depth: 25, midOnly: true },
  d1: { label: 'book→mid (depth 1)', depth: 1, midOnly: true },
  full: { label: 'full chain (depth 25)', depth: 25, midOnly: false },
} as const;
export type CaseName = keyof typeof CASES;

export interface ComparisonResult {
  readonly engine: SideTimes;
  readonly fused: SideTimes;
  /** Both sides' final numbers agreed (describeResult text). */
  readonly same: boolean;
  readonly engineText: string;
  readonly fusedText: string;
  readonly summary: string;
  /** Main-thread GC pause ms inside each timed call, per side (same order as the times). */
  readonly engineGcMs: number[];
  readonly fusedGcMs: number[];
}

export function simulatedEvents(count: number, p: ChainParams): MarketEvent[] {
  const sim = new SimulatedMarket({
    seed: 1,
    startTime: 1_700_000_000,
    meanIntervalSec: 0.002,
    symbols: [{ symbol: p.symbol, price: 64000, tickSize: 0.1, lotSize: 0.0001 }],
  });
  return sim.take(count);
}

export const BASE: ChainParams = {
  exchange: 'SIM',
  symbol: 'BTC-USDT',
  depth: 25,
  windowSec: 60,
  barSec: 60,
};

async function runCase(
  name: CaseName,
  count: number,
  warmup: number,
  runs: number,
): Promise<ComparisonResult> {
  // GC pauses, to see how much of each side's time is collection (observing costs nothing per
  // allocation: one entry per pause, delivered after the runs).
  const gcs: [number, number][] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push([e.startTime, e.duration]);
  });
  obs.observe({ entryTypes: ['gc'] });
  const c = CASES[name];
  const p: ChainParams = { ...BASE, depth: c.depth };
  const events = simulatedEvents(count, p);
  const span = events.at(-1)!.event.timestamp - events[0]!.event.timestamp;
  const byChannel = new Map<string, number>();
  for (const m of events) byChannel.set(m.channel, (byChannel.get(m.channel) ?? 0) + 1);
  const summary = `${count} events over ${span.toFixed(0)} s simulated: ${[...byChannel].map(([ch, n]) => `${ch} ${n}`).join(', ')}`;
  // The full chain's outputs, or only mid: the fused loop then skips the rest.
  const engine = (): string =>
    describeResult(engineChain(events, p, c.midOnly ? ['mid'] : undefined));
  const fused = (): string => describeResult(fusedChain(events, p, c.midOnly));
  const engineText = engine();
  const fusedText = fused();
  const t = pairedRuns(engine, fused, warmup, runs);
  await new Promise((resolve) => setTimeout(resolve, 50));
  obs.disconnect();
  return {
    engine: t.a,
    fused: t.b,
    same: engineText === fusedText,
    engineText,
    fusedText,
    summary,
    engineGcMs: gcMsPerSpan(t.a.spans, gcs),
    fusedGcMs: gcMsPerSpan(t.b.spans, gcs),
  };
}

const name = process.env.BENCH_ENGINE_CASE as CaseName | undefined;
if (name !== undefined && process.argv[1]?.endsWith('comparison.ts')) {
  if (!(name in CASES)) throw new Error(`BENCH_ENGINE_CASE: unknown case ${name}`);
  const r = await runCase(
    name,
    Number(process.env.BENCH_EVENTS ?? 300_000),
    Number(process.env.BENCH_ENGINE_WARMUP ?? 3),
    Number(process.env.BENCH_ENGINE_RUNS ?? 11),
  );
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
