// Engine overhead: the reference feature chain through FeatureStreamGraph vs the same arithmetic
// hand-fused into one loop, over the same simulated events in the same process. Target: the engine
// within 2× of the fused loop. Both must end with identical numbers (checked, printed).
//
// To see where the engine's time goes, bundle (tsx reports every line of a module as line 1) and
// profile: npx esbuild bench/run.ts --bundle --platform=node --format=esm --outfile=/tmp/b.mjs
//          node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/b.mjs engine   (open in DevTools)
// Findings (2026-11): the gap was allocation, not arithmetic: a [state, out] pair per stage per
// event, 30k retained mid events in the 60 s volatility window (GC 20–25%), and top-N arrays per
// update. Fixed with fold() (no pairs), value windows (numbers in double arrays) and top-N rebuilt
// only when a change lands inside it; the full chain went from ~2.5× to ~1.9×. What remains is the
// output events themselves (snapshot, mid, volatility: GC ≈ 20%) and megamorphic emit dispatch.
// 2026-12 (issue #10): sliding windows became two-stacks aggregators (never subtract) on a
// preallocated ring; the fused loop uses the same monoids and ring, so both sides do the same
// arithmetic. Growing plain arrays by storing at their length had made the window 2× slower.
// 2026-12 (issue #14): the top-N arrays and snapshot event per book update are gone when every
// consumer of l2_snapshot_fd borrows (the built-in book features): it lends its book's own sides
// (core/definitions/builtin/bookView.ts). flip() had deoptimized ~7 times a run on the monoid's map
// (--trace-deopt); windows now grow in one copy. What remains is spread thin: the output events
// (each double field is a separate heap number, so an event is 4 allocations), dispatch between
// operators, and callbacks. The engine side also feeds one reused pair, as GraphStepper does.
import { SimulatedMarket } from '../src/sources/sim/SimulatedMarket.ts';
import { engineChain } from './engine/chain.ts';
import { fusedChain } from './engine/fused.ts';
import { type ChainParams, describeResult } from './engine/result.ts';
import { type Bench, line, measurePair } from './harness.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
/** Paired runs per comparison (BENCH_ENGINE_RUNS); the median ratio is reported. */
const RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 11);
const P: ChainParams = {
  exchange: 'SIM',
  symbol: 'BTC-USDT',
  depth: 25,
  windowSec: 60,
  barSec: 60,
};

/** CPU milliseconds of this process (all threads: GC helpers count against whoever allocates). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function compare(label: string, run: () => string, base: () => string, count: number): void {
  const same = run() === base();
  // CPU time of each call, alongside the harness's wall time: on shared cores it leaves out the
  // time this process waited for a core, which wall time charges to whichever side was running.
  const cpuRatios: number[] = [];
  let cpuA = 0;
  const { a, b, ratio } = measurePair(
    () => {
      const t0 = cpuMs();
      run();
      cpuA = cpuMs() - t0;
    },
    () => {
      const t0 = cpuMs();
      base();
      cpuRatios.push(cpuA / (cpuMs() - t0));
    },
    { warmup: 2, runs: RUNS },
  );
  const cpuRatio = cpuRatios.slice(2).sort((x, y) => x - y)[(cpuRatios.length - 2) >> 1]!;
  console.log(line(`${label}: engine`, a, count));
  console.log(line(`${label}: fused loop (baseline)`, b, count));
  console.log(
    `  ${label}: ratio engine/fused = ${ratio.toFixed(2)}× wall (median of ${RUNS} paired runs; target ≤ 2×) ${ratio <= 2 ? 'OK' : 'OVER'}; ${cpuRatio.toFixed(2)}× CPU time`,
  );
  console.log(`  ${label}: identical final numbers: ${same ? 'yes' : 'NO'}`);
  if (!same) {
    console.log(`    engine: ${run()}\n    fused:  ${base()}`);
    throw new Error(`${label}: engine and fused loop disagree`);
  }
}

const bench: Bench = {
  name: 'engine',
  description: `reference chain vs fused loop, ${EVENTS} simulated events (BENCH_EVENTS to change)`,
  run() {
    const sim = new SimulatedMarket({
      seed: 1,
      startTime: 1_700_000_000,
      meanIntervalSec: 0.002,
      symbols: [{ symbol: P.symbol, price: 64000, tickSize: 0.1, lotSize: 0.0001 }],
    });
    const events = sim.take(EVENTS);
    const span = events.at(-1)!.event.timestamp - events[0]!.event.timestamp;
    const byChannel = new Map<string, number>();
    for (const m of events) byChannel.set(m.channel, (byChannel.get(m.channel) ?? 0) + 1);
    console.log(
      `  ${EVENTS} events over ${span.toFixed(0)} s simulated: ${[...byChannel].map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
    const P1 = { ...P, depth: 1 };
    compare(
      'book→mid (depth 25)',
      () => describeResult(engineChain(events, P, ['mid'])),
      () => describeResult(fusedChain(events, P, true)),
      events.length,
    );
    compare(
      'book→mid (depth 1)',
      () => describeResult(engineChain(events, P1, ['mid'])),
      () => describeResult(fusedChain(events, P1, true)),
      events.length,
    );
    compare(
      'full chain (depth 25)',
      () => describeResult(engineChain(events, P)),
      () => describeResult(fusedChain(events, P)),
      events.length,
    );
  },
};
export default bench;
