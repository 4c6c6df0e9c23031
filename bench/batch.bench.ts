// Batch at the I/O floor (issue #14, target 1): a whole `featurizer run` process (the package's
// bin, prebuilt bundle, in-thread) over ~140k simulated events of the studio's default pipeline
// (book → mid, spread, volatility; trades → TVI, OHLCV; bench/batch/config.yaml), against the
// plain Node loop of bench/batch/floorLoop.mjs over the same input: read lines, JSON.parse each,
// JSON.stringify + write as many output objects as the run produced. Rounds alternate the two so
// load bursts from other processes hit both; the ratio is floor time / run time (target ≥ 0.8).
//
// Profile the run: node --cpu-prof --cpu-prof-dir=/tmp/prof bin/featurizer.mjs run -c
//   bench/batch/config.yaml -i <the input this bench writes> -o /tmp/out.ndjson -q
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SimulatedMarket } from '../src/sources/sim/SimulatedMarket.ts';
import type { Bench } from './harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/featurizer.mjs');
const CONFIG = path.join(ROOT, 'bench/batch/config.yaml');
const FLOOR = path.join(ROOT, 'bench/batch/floorLoop.mjs');
const EVENTS = Number(process.env.BENCH_BATCH_EVENTS ?? 140_000);
const ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 5);

function wallMs(args: readonly string[]): { ms: number; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FEATURIZER_CLI: undefined },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: r.stderr };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

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
      const first = wallMs(run).stderr;
      const outputs = readFileSync(out, 'utf8').split('\n').length - 1;
      const floor = [FLOOR, input, path.join(dir, 'floor.ndjson'), String(outputs), String(EVENTS)];
      console.log(`  ${first.trim()}`);
      wallMs(floor);
      const runMs: number[] = [];
      const floorMs: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const f = wallMs(floor).ms;
        const r = wallMs([...run, '-q']).ms;
        floorMs.push(f);
        runMs.push(r);
        ratios.push(f / r);
      }
      const rate = (ms: number) => `${(((EVENTS / ms) * 1000) / 1e3).toFixed(0)} k events/s`;
      console.log(
        `  plain loop (baseline)                ${median(floorMs).toFixed(0).padStart(6)} ms  ${rate(median(floorMs))}`,
      );
      console.log(
        `  featurizer run, in-thread            ${median(runMs).toFixed(0).padStart(6)} ms  ${rate(median(runMs))}`,
      );
      const ratio = median(ratios);
      console.log(
        `  ratio loop/run = ${ratio.toFixed(2)}× (median of paired rounds; target ≥ 0.8×) ${ratio >= 0.8 ? 'OK' : 'UNDER'}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
