// Batch at the I/O floor (issue #14, target 1): a whole `featurizer run` process (the package's
// bin, prebuilt bundle, in-thread) over ~140k simulated events of the studio's default pipeline
// (book → mid, spread, volatility; trades → TVI, OHLCV; bench/batch/config.yaml), against the
// plain Node loop of bench/batch/floorLoop.mjs over the same input: read lines, JSON.parse each,
// JSON.stringify + write as many output objects as the run produced. Rounds alternate the two so
// load bursts from other processes hit both; the ratio is floor time / run time (target ≥ 0.8).
// Then target 3: `--workers 2` vs `--workers 1` on two independent sources, paired rounds, with
// each run's CPU per thread (FEATURIZER_THREAD_CPU) and the wall time that CPU allows on 2 cores:
// first on EVENTS lines (the figure this bench has always printed, the target's), then on an input
// BENCH_BATCH_BIG (5) times larger (3 rounds), labelled as such; from the two sizes it prints each
// thread's CPU as fixed + per-100k-lines, which says how much of the ratio is start-up and JIT
// warm-up rather than per-event work. BENCH_BATCH_BIG=1 skips the larger input.
// Since 2026-12-05 09:20 `--workers N` with two partitions or more serves partition 0 on the main
// thread (`--workers 2`: one worker thread; `--workers 1` unchanged, its partition on a worker);
// each round also runs `--workers 2` as before (both partitions on worker threads) and the
// in-thread run (no `--workers`), printed beside with their ratios.
//
// Profile the run: node --cpu-prof --cpu-prof-dir=/tmp/prof bin/featurizer.mjs run -c
//   bench/batch/config.yaml -i <the input this bench writes> -o /tmp/out.ndjson -q
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SimulatedMarket } from '../src/sources/sim/SimulatedMarket.ts';
import type { Bench } from './harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/featurizer.mjs');
const CONFIG = path.join(ROOT, 'bench/batch/config.yaml');
const TWO_SOURCES = path.join(ROOT, 'bench/batch/two-sources.yaml');
const FLOOR = path.join(ROOT, 'bench/batch/floorLoop.mjs');
const EVENTS = Number(process.env.BENCH_BATCH_EVENTS ?? 140_000);
const ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 5);
/** The second `--workers` input is this many times larger (1: none); its rounds. */
const BIG = Number(process.env.BENCH_BATCH_BIG ?? 5);
const BIG_ROUNDS = Number(process.env.BENCH_BATCH_BIG_ROUNDS ?? 3);

/** /usr/bin/time reports a child's CPU seconds (Node cannot): wall time swings with load. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One whole process: wall ms, CPU ms (user + sys; NaN without /usr/bin/time), its stderr. */
function runMs(
  args: readonly string[],
  env: Record<string, string> = {},
): { ms: number; cpuMs: number; stderr: string } {
  const [cmd, argv] = TIME
    ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]]
    : [process.execPath, [...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FEATURIZER_CLI: undefined, ...env },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return {
    ms,
    cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN,
    stderr: cpu ? r.stderr.slice(0, cpu.index) : r.stderr,
  };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** CPU ms per thread of one `--workers` run, from its `CPU by thread:` line. */
interface ThreadSplit {
  main: number;
  /** Worker threads by index (a worker served on the main thread has none: NaN). */
  workers: number[];
  other: number;
  process: number;
}

function threadSplit(stderr: string): ThreadSplit {
  const line = /CPU by thread: (.*)/.exec(stderr)?.[1] ?? '';
  const ms = (re: RegExp): number => Number(re.exec(line)?.[1] ?? NaN);
  const workers: number[] = [];
  for (const m of line.matchAll(/worker (\d+) (\d+) ms/g)) workers[Number(m[1])] = Number(m[2]);
  return {
    main: ms(/main (\d+) ms/),
    workers: Array.from(workers, (w) => w ?? NaN),
    other: ms(/other (-?\d+) ms/),
    process: ms(/process (\d+) ms/),
  };
}

function splitText(xs: readonly ThreadSplit[]): string {
  const n = Math.max(...xs.map((x) => x.workers.length));
  const ws = Array.from({ length: n }, (_, i) => median(xs.map((x) => x.workers[i] ?? NaN)))
    .map((w, i) => (Number.isNaN(w) ? '' : `worker ${i} ${w.toFixed(0)} · `))
    .join('');
  const here = xs.some((x) => n > 0 && Number.isNaN(x.workers[0] ?? NaN)) || n === 0;
  return (
    `main ${median(xs.map((x) => x.main)).toFixed(0)}${here ? ' (with worker 0)' : ''} · ${ws}` +
    `V8/libuv helpers ${median(xs.map((x) => x.other)).toFixed(0)} (process ${median(xs.map((x) => x.process)).toFixed(0)}) ms`
  );
}

/** The least wall time the runs' CPU allows on 2 cores: the busiest thread, or all CPU ÷ 2. */
function bound(xs: readonly ThreadSplit[]): number {
  return median(
    xs.map((x) => Math.max(x.main, ...x.workers.filter(Number.isFinite), x.process / 2)),
  );
}

/** Synthetic two-symbol input (BTC and ETH books and trades) of `events` lines, in `dir`. */
function twoSourceInput(dir: string, events: number): string {
  const file = path.join(dir, `two-${events}.ndjson`);
  const sim = new SimulatedMarket({
    seed: 7,
    startTime: 1_717_200_000,
    levels: 20,
    meanIntervalSec: 0.01,
    symbols: [
      { symbol: 'BTC-USDT', price: 67000, tickSize: 0.1, lotSize: 0.0001 },
      { symbol: 'ETH-USDT', price: 3500, tickSize: 0.01, lotSize: 0.001 },
    ],
  });
  // Written in slices: one string of 5 × 140k lines would be ~150 MB.
  writeFileSync(file, '');
  for (let left = events; left > 0; left -= 50_000) {
    const text = sim
      .take(Math.min(50_000, left))
      .map((m) => JSON.stringify(m))
      .join('\n');
    appendFileSync(file, `${text}\n`);
  }
  return file;
}

/**
 * `--workers 1` vs `--workers 2` on `events` lines of two independent sources, in paired rounds
 * (alternating, so load bursts hit both), each run with its CPU per thread. Since 2026-12-05
 * 09:20 `--workers N` with two partitions or more serves partition 0 on the main thread (so
 * `--workers 2` starts one worker thread; `--workers 1` still runs its one partition on a worker).
 * Each round also runs `--workers 2` in the layout of before (both partitions in worker threads,
 * FEATURIZER_MAIN_PARTITION=0) and the in-thread run with no `--workers`, printed beside with
 * their ratios. Prints wall ratios, CPU splits and 2-core bounds; returns the median CPU split of
 * the target's pair.
 */
function workersPair(dir: string, events: number, rounds: number): [ThreadSplit, ThreadSplit] {
  const input = twoSourceInput(dir, events);
  const on = (n: number, tag = '') => [
    BIN,
    'run',
    '-c',
    TWO_SOURCES,
    '-i',
    input,
    '-o',
    path.join(dir, `w${n}${tag}.ndjson`),
    '-q',
    ...(n > 0 ? ['--workers', String(n)] : []),
  ];
  // Each run also reports its CPU per thread (FEATURIZER_THREAD_CPU): on a shared machine the
  // wall ratio swings with load, the CPU split says what the run itself needs.
  const cpuEnv = { FEATURIZER_THREAD_CPU: '1' };
  const threadsEnv = { ...cpuEnv, FEATURIZER_MAIN_PARTITION: '0' };
  runMs(on(2), cpuEnv);
  const load0 = loadavg()[0]!;
  const w1: number[] = [];
  const w2: number[] = [];
  const t2: number[] = [];
  const here: number[] = [];
  const hereCpu: number[] = [];
  const speedups: number[] = [];
  const threadSpeedups: number[] = [];
  const cpu1: ThreadSplit[] = [];
  const cpu2: ThreadSplit[] = [];
  const tcpu2: ThreadSplit[] = [];
  for (let i = 0; i < rounds; i++) {
    const a = runMs(on(1), cpuEnv);
    const b = runMs(on(2), cpuEnv);
    const d = runMs(on(2, 't'), threadsEnv);
    const e = runMs(on(0));
    w1.push(a.ms);
    w2.push(b.ms);
    t2.push(d.ms);
    here.push(e.ms);
    hereCpu.push(e.cpuMs);
    speedups.push(a.ms / b.ms);
    threadSpeedups.push(a.ms / d.ms);
    cpu1.push(threadSplit(a.stderr));
    cpu2.push(threadSplit(b.stderr));
    tcpu2.push(threadSplit(d.stderr));
  }
  const ref = readFileSync(path.join(dir, 'w0.ndjson'), 'utf8');
  const same = ['w1', 'w2', 'w2t'].every(
    (f) => readFileSync(path.join(dir, `${f}.ndjson`), 'utf8') === ref,
  );
  const speedup = median(speedups);
  const what =
    events === EVENTS
      ? `two sources, ${events} lines`
      : `two sources, ${events} lines (${events / EVENTS}× input)`;
  const ms = (xs: number[]): string => median(xs).toFixed(0);
  console.log(
    `  ${what}, --workers 1 (baseline) ${ms(w1).padStart(6)} ms wall; --workers 2 ${ms(w2)} ms; ` +
      `speed-up ${speedup.toFixed(2)}× (target ≥ 1.3×) ${speedup >= 1.3 ? 'OK' : 'UNDER'}; identical output (all four runs): ${same ? 'yes' : 'NO'}` +
      ` (load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}; median of ${rounds} paired rounds)`,
  );
  console.log(`    --workers 1 CPU, median per thread: ${splitText(cpu1)}`);
  console.log(`    --workers 2 CPU, median per thread: ${splitText(cpu2)}`);
  console.log(
    `    2-core bound from CPU alone (max of the busiest thread and all CPU ÷ 2): --workers 1 ${bound(cpu1).toFixed(0)} ms, ` +
      `--workers 2 ${bound(cpu2).toFixed(0)} ms: ${(bound(cpu1) / bound(cpu2)).toFixed(2)}× if both ran at that bound (an idle machine; start-up aside)`,
  );
  console.log(
    `    same rounds, --workers 2 with both partitions in worker threads (the layout before, FEATURIZER_MAIN_PARTITION=0): ${ms(t2)} ms, ` +
      `speed-up ${median(threadSpeedups).toFixed(2)}×, CPU bound ${(bound(cpu1) / bound(tcpu2)).toFixed(2)}×; ` +
      `in-thread (no --workers) ${ms(here)} ms wall, ${ms(hereCpu)} ms CPU: --workers 2 ${(median(here) / median(w2)).toFixed(2)}× that`,
  );
  console.log(`      --workers 2 before, CPU: ${splitText(tcpu2)}`);
  rmSync(input, { force: true });
  return [medianSplit(cpu1), medianSplit(cpu2)];
}

/** Per-thread medians of runs' CPU splits. */
function medianSplit(xs: readonly ThreadSplit[]): ThreadSplit {
  const n = Math.max(0, ...xs.map((x) => x.workers.length));
  return {
    main: median(xs.map((x) => x.main)),
    workers: Array.from({ length: n }, (_, i) => median(xs.map((x) => x.workers[i] ?? NaN))),
    other: median(xs.map((x) => x.other)),
    process: median(xs.map((x) => x.process)),
  };
}

/** `fixed + slope` per thread from CPU at two input sizes (a straight line through both). */
function fit(a: ThreadSplit, b: ThreadSplit, na: number, nb: number): string {
  const line = (x: number, y: number): string => {
    const slope = (y - x) / (nb - na);
    return `${(x - slope * na).toFixed(0)} + ${(slope * 100_000).toFixed(0)}`;
  };
  const sum = (s: ThreadSplit): number =>
    s.workers.filter(Number.isFinite).reduce((p, q) => p + q, 0);
  return (
    `main ${line(a.main, b.main)}, workers ${line(sum(a), sum(b))}, helpers ${line(a.other, b.other)}, ` +
    `process ${line(a.process, b.process)}`
  );
}

const bench: Bench = {
  name: 'batch',
  description: `featurizer run (whole process) vs a plain read/parse/stringify/write loop, ${EVENTS} events`,
  run() {
    const build = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/build-cli.mjs'), '--if-stale'],
      {
        encoding: 'utf8',
      },
    );
    if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
    const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-batch-'));
    try {
      const input = path.join(dir, 'input.ndjson');
      const sim = new SimulatedMarket({
        seed: 7,
        startTime: 1_717_200_000,
        levels: 20,
        meanIntervalSec: 0.01,
        symbols: [{ symbol: 'BTC-USDT', price: 67000, tickSize: 0.1, lotSize: 0.0001 }],
      });
      writeFileSync(
        input,
        `${sim
          .take(EVENTS)
          .map((m) => JSON.stringify(m))
          .join('\n')}\n`,
      );
      const out = path.join(dir, 'out.ndjson');
      const run = [BIN, 'run', '-c', CONFIG, '-i', input, '-o', out];
      const first = runMs(run).stderr;
      const outputs = readFileSync(out, 'utf8').split('\n').length - 1;
      const floor = [FLOOR, input, path.join(dir, 'floor.ndjson'), String(outputs), String(EVENTS)];
      console.log(`  ${first.trim()}`);
      runMs(floor);
      const runWall: number[] = [];
      const floorWall: number[] = [];
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      const runCpu: number[] = [];
      const floorCpu: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const f = runMs(floor);
        const r = runMs([...run, '-q']);
        floorWall.push(f.ms);
        runWall.push(r.ms);
        ratios.push(f.ms / r.ms);
        floorCpu.push(f.cpuMs);
        runCpu.push(r.cpuMs);
        cpuRatios.push(f.cpuMs / r.cpuMs);
      }
      const rate = (ms: number) => `${(((EVENTS / ms) * 1000) / 1e3).toFixed(0)} k events/s`;
      const row = (label: string, wall: number[], cpu: number[]) =>
        console.log(
          `  ${label.padEnd(34)} ${median(wall).toFixed(0).padStart(6)} ms wall  ${rate(median(wall)).padStart(16)}` +
            (TIME ? `  ${median(cpu).toFixed(0).padStart(6)} ms CPU` : ''),
        );
      row('plain loop (baseline)', floorWall, floorCpu);
      row('featurizer run, in-thread', runWall, runCpu);
      const ratio = median(ratios);
      console.log(
        `  ratio loop/run = ${ratio.toFixed(2)}× wall (median of paired rounds; target ≥ 0.8×) ${ratio >= 0.8 ? 'OK' : 'UNDER'}` +
          (TIME ? `; ${median(cpuRatios).toFixed(2)}× CPU time` : ''),
      );
      // Target 3: `--workers 2` vs `--workers 1` on two independent sources (per-source workers),
      // on the input of EVENTS lines (the figure the README's table has always had) and on one
      // BIG times larger, which says how much of the ratio is fixed cost (start-up, JIT warm-up).
      const small = workersPair(dir, EVENTS, ROUNDS);
      if (BIG > 1) {
        const big = workersPair(dir, EVENTS * BIG, BIG_ROUNDS);
        console.log(
          `  fixed vs per-event CPU, from the two sizes (ms = fixed + per 100k lines): ` +
            (['--workers 1', '--workers 2'] as const)
              .map((k, i) => `${k} ${fit(small[i]!, big[i]!, EVENTS, EVENTS * BIG)}`)
              .join('; '),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
