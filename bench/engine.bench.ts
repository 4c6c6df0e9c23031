// Engine overhead: the reference feature chain through FeatureStreamGraph vs the same arithmetic
// hand-fused into one loop, over the same simulated events, each comparison in a fresh child
// process (bench/engine/comparison.ts). Target: the engine
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
// 2026-12 (issue #14, second round): the comparisons had run one after another in one process,
// and the fused loop got faster after the earlier ones (depth 1, run second, read 1.7–2.3×; alone
// ~1.5×). Each comparison now runs in its own process, with warm-up calls of both sides and the
// order inside each timed pair alternating; the spread of the per-pair ratios is printed.
// 2026-12 (issue #14, third round): two finds in --trace-deopt and --trace-turbo-inlining. The
// window's flip() ran a few times per run, never got optimized, and its on-stack-replaced loop
// deoptimized at every call (~14 deopts per run): the flip is now written into update. And every
// operator emitted through the one Stream.emit, whose call site saw every class in the graph
// (megamorphic: no inlining anywhere downstream); map, filter, fold and the windows now have their
// own copy, and the moments and compensated-sums windows their own update (momentsWindow,
// sumsWindow) calling their combine directly. The bench also prints each side's CPU median and
// its main-thread GC pauses (gc performance entries inside each timed call). What is left is
// mostly the output events: the consumer here keeps the last one, as GraphStepper's pending
// outputs and the as-of join do, so each output is a fresh object (4 allocations); reusing them
// (measured: −8 ms of ~58 per full-chain run) needs a borrowing callback contract there.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CASES, type CaseName, type ComparisonResult } from './engine/comparison.ts';
import { pairRatios, quantile } from './engine/pairedRuns.ts';
import { type Bench, line } from './harness.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
/** Timed pairs per comparison (BENCH_ENGINE_RUNS); the median per-pair ratio is reported. */
const RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 11);
const CHILD = fileURLToPath(new URL('./engine/comparison.ts', import.meta.url));

/** Run one comparison in a fresh node process (same loader flags as this one). */
function runChild(name: CaseName): ComparisonResult {
  const r = spawnSync(process.execPath, [...process.execArgv, CHILD], {
    encoding: 'utf8',
    env: {
      ...process.env,
      BENCH_ENGINE_CASE: name,
      BENCH_EVENTS: String(EVENTS),
      BENCH_ENGINE_RUNS: String(RUNS),
    },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`${name}: child exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ComparisonResult;
}

function summarize(ms: readonly number[]) {
  const s = [...ms].sort((x, y) => x - y);
  return { medianMs: s[s.length >> 1]!, minMs: s[0]!, maxMs: s[s.length - 1]! };
}

/** `1.52× (IQR 1.48–1.57, range 1.40–1.70)` for sorted per-pair ratios. */
function spread(r: readonly number[]): string {
  const f = (x: number) => x.toFixed(2);
  return `${f(quantile(r, 0.5))}× (IQR ${f(quantile(r, 0.25))}–${f(quantile(r, 0.75))}, range ${f(r[0]!)}–${f(r.at(-1)!)})`;
}

function report(name: CaseName, r: ComparisonResult, first: boolean): void {
  const label = CASES[name].label;
  if (first) console.log(`  ${r.summary}`);
  console.log(line(`${label}: engine`, summarize(r.engine.wallMs), EVENTS));
  console.log(line(`${label}: fused loop (baseline)`, summarize(r.fused.wallMs), EVENTS));
  const wall = pairRatios(r.engine.wallMs, r.fused.wallMs);
  const cpu = pairRatios(r.engine.cpuMs, r.fused.cpuMs);
  const med = quantile(wall, 0.5);
  console.log(
    `  ${label}: engine/fused wall ${spread(wall)} over ${wall.length} pairs; target ≤ 2× ${med <= 2 ? 'OK' : 'OVER'}`,
  );
  console.log(`  ${label}: engine/fused CPU  ${spread(cpu)}`);
  const eGc = summarize(r.engineGcMs).medianMs;
  const fGc = summarize(r.fusedGcMs).medianMs;
  console.log(
    `  ${label}: CPU median engine ${summarize(r.engine.cpuMs).medianMs.toFixed(1)} ms, fused ${summarize(r.fused.cpuMs).medianMs.toFixed(1)} ms; main-thread GC pauses (median per call) engine ${eGc.toFixed(1)} ms, fused ${fGc.toFixed(1)} ms`,
  );
  console.log(`  ${label}: identical final numbers: ${r.same ? 'yes' : 'NO'}`);
  if (!r.same) {
    console.log(`    engine: ${r.engineText}\n    fused:  ${r.fusedText}`);
    throw new Error(`${label}: engine and fused loop disagree`);
  }
}

const bench: Bench = {
  name: 'engine',
  description: `reference chain vs fused loop, ${EVENTS} simulated events (BENCH_EVENTS to change), one process per comparison`,
  run() {
    let first = true;
    for (const name of Object.keys(CASES) as CaseName[]) {
      report(name, runChild(name), first);
      first = false;
    }
  },
};
export default bench;
