// Worker runtime: (1) events/s across one worker edge — the runtime's BatchedPortTransport
// (credits, retention, item numbering) beside a raw batched MessagePort carrying the same events
// in the same run (target ratio ≥ 0.8), for both codecs; (2) whole-pipeline replay of a
// multi-symbol simulated recording on 1 worker vs N workers, as a ratio (issue #14 target 3:
// ≥ 1.3 on 2 cores), whole run and once the workers have started, with each run's CPU time per
// thread (main, each worker, V8/libuv helpers: `ThreadCpu`), which explains the ratio under load.
// The lines are fed as `featurizer run --workers N` feeds a file since 2026-12-05 (#14 target 3):
// chunks of whole lines as UTF-8 in SharedArrayBuffers (~512 KiB each), which the main thread
// routes without decoding; before, they were fed as strings (BENCH_WORKERS_FEED=strings still
// does). Then the same on BENCH_WORKERS_BIG (5) times the lines (labelled; 1 skips it), which
// says how much of the ratio is fixed cost (worker start-up, each isolate's JIT warm-up).
// Since 2026-12-05 07:00 the output goes to a `writeBytes` sink as the CLI's file takes it and is
// compared with the reference as it comes (before, each run kept its whole output and decoded it
// on the main thread at the end, which the CLI never does: the printed main-thread CPU was
// ~0.5 µs per line higher, e.g. 758 / 809 ms at 600k lines vs ~400 / 470 for the CLI at 700k).
// Since 2026-12-05 09:20 the same rounds also run the layout `featurizer run --workers N` now uses
// for two partitions or more (partition 0 served on the main thread, runtime/inThreadWorker.ts):
// main + N − 1 workers against the same 1-worker run, printed after the figures above, which
// keep measuring the runtime's default layout (every partition in a worker thread) as before.
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
// @ts-expect-error -- plain JavaScript module without types (bin/ is not compiled)
import { bundleIsFresh } from '../bin/cliBundle.mjs';
import { MessageChannel, Worker } from 'node:worker_threads';
import { runLines } from '../src/core/batch/runLines.ts';
import type { Event } from '../src/core/events.ts';
import { ThreadCpu } from '../src/runtime/node/threadCpu.ts';
import { nodePlatform } from '../src/runtime/node/workerThreads.ts';
import type { PortLike } from '../src/runtime/ports.ts';
import { runWorkers } from '../src/runtime/runWorkers.ts';
import type { Codec } from '../src/runtime/codec.ts';
import { BatchedPortTransport } from '../src/runtime/Transport.ts';
import { multiFeatures, simulatedLines } from '../src/testing/sources/multiPipeline.ts';
import type { Bench } from './harness.ts';

const EDGE_EVENTS = Number(process.env.BENCH_EDGE_EVENTS ?? 200_000);
const BATCH = 256;
const LINES = Number(process.env.BENCH_LINES ?? 120_000);
const BIG = Number(process.env.BENCH_WORKERS_BIG ?? 5);

function tsWorker(url: URL): Worker {
  const boot = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true });
}

const events: Event[] = Array.from({ length: EDGE_EVENTS }, (_, i) => ({
  timestamp: 1.7e9 + i / 1000,
  receipt_timestamp: 1.7e9 + i / 1000 + 0.001,
  side: i % 2 ? 'buy' : 'sell',
  amount: 0.01 * (i % 17),
  price: 64000 + (i % 100) / 10,
  id: String(i),
}));

/** Push every event to a sink worker and time until it has them all. */
async function edgeRun(mode: 'raw' | Codec): Promise<number> {
  const w = tsWorker(new URL('./workers/edgeSink.ts', import.meta.url));
  const { port1, port2 } = new MessageChannel();
  w.postMessage({ port: port2, mode, total: EDGE_EVENTS }, [port2]);
  const done = new Promise((r) => w.once('message', r));
  await new Promise((r) => setTimeout(r, 300)); // let the worker boot
  const t0 = performance.now();
  if (mode === 'raw') {
    // Same credit window as the transport (8 batches in flight), no numbering or retention.
    let inFlight = 0;
    let i = 0;
    const pump = (): void => {
      while (inFlight < 8 && i < EDGE_EVENTS) {
        port1.postMessage(events.slice(i, i + BATCH));
        i += BATCH;
        inFlight++;
      }
    };
    port1.on('message', () => {
      inFlight--;
      pump();
    });
    pump();
  } else {
    const tx = new BatchedPortTransport(port1 as unknown as PortLike, { codec: mode });
    tx.onDrain = () => {
      // Release retention as a checkpointing receiver would, so memory stays flat.
      (tx as unknown as { retained: unknown[] }).retained = [];
    };
    let i = 0;
    const feed = (): void => {
      while (!tx.blocked && i < EDGE_EVENTS) {
        const end = Math.min(EDGE_EVENTS, i + BATCH);
        for (; i < end; i++) tx.push(i, 0, events[i]!);
        tx.flush(i, 0);
      }
      if (i < EDGE_EVENTS) setImmediate(feed);
    };
    feed();
  }
  await done;
  const ms = performance.now() - t0;
  port1.close();
  await w.terminate();
  return EDGE_EVENTS / (ms / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const fmt = (x: number): string => `${(x / 1e6).toFixed(2)}M`;

async function edges(): Promise<void> {
  const r: Record<string, number[]> = { raw: [], clone: [], json: [] };
  for (let rep = 0; rep < 5; rep++) {
    for (const m of ['raw', 'clone', 'json'] as const) r[m]!.push(await edgeRun(m));
  }
  const raw = median(r.raw!);
  console.log(`  edge, raw batched MessagePort (baseline): ${fmt(raw)} events/s`);
  for (const c of ['clone', 'json'] as const) {
    const v = median(r[c]!);
    console.log(
      `  edge, BatchedPortTransport codec=${c}: ${fmt(v)} events/s, ratio ${(v / raw).toFixed(2)}`,
    );
  }
}

/** Whole lines as shared UTF-8 chunks of about `bytes` each (what the CLI reads a file into). */
function byteChunks(lines: readonly string[], bytes = 1 << 19): Uint8Array[] {
  const enc = new TextEncoder();
  const out: Uint8Array[] = [];
  let from = 0;
  while (from < lines.length) {
    let to = from;
    let size = 0;
    while (to < lines.length && (to === from || size < bytes)) size += lines[to++]!.length + 1;
    const b = enc.encode(`${lines.slice(from, to).join('\n')}\n`);
    const shared = new Uint8Array(new SharedArrayBuffer(b.length));
    shared.set(b);
    out.push(shared);
    from = to;
  }
  return out;
}

async function* each<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

async function pipeline(count: number, compareInThread: boolean): Promise<void> {
  const lines = simulatedLines(count);
  const strings = process.env.BENCH_WORKERS_FEED === 'strings';
  const chunks = strings ? [] : byteChunks(lines);
  const input = () => (strings ? lines : each(chunks));
  const features = multiFeatures();
  // The worker entry `featurizer run --workers` starts: the prebuilt bundle when it is fresh
  // (`npm run build:cli`), else the TypeScript through tsx, whose start-up is slower.
  const dist = new URL('../dist-cli/', import.meta.url);
  // Rebuilt when a source changed (as the batch bench does): a stale bundle meant tsx workers.
  spawnSync(
    process.execPath,
    [new URL('../scripts/build-cli.mjs', import.meta.url).pathname, '--if-stale'],
    {
      stdio: 'ignore',
    },
  );
  const bundled = bundleIsFresh(dist);
  const entry = bundled
    ? new URL('session/worker/nodeStreamWorker.mjs', dist)
    : new URL('../src/session/worker/nodeStreamWorker.ts', import.meta.url);
  console.log(
    `  worker entry: ${bundled ? 'dist-cli bundle' : 'TypeScript via tsx (no fresh bundle)'}; ` +
      `input fed as ${strings ? 'strings' : 'shared UTF-8 chunks, as the CLI reads a file'}`,
  );
  const cores = availableParallelism();
  const t0 = performance.now();
  const inThread = compareInThread
    ? runLines(features, lines.join('\n'), { format: 'ndjson' }).output
    : undefined;
  const inMs = performance.now() - t0;
  // The output is handed over as `featurizer run` hands it to its file (`writeBytes`, 64 KiB
  // pieces, the buffer reused) and compared with the reference as it comes: kept whole and
  // decoded at the end (as before 2026-12-05 07:00), it cost the run's main thread ~0.5 µs per
  // line the CLI never spends (buffer doublings up to the whole output, one decode of it).
  // The reference: the in-thread output, or else the first 1-worker run's (copied as it comes).
  let expected = inThread === undefined ? undefined : new TextEncoder().encode(inThread);
  /** [whole run ms, ms after the workers started, output equal to the reference, CPU per thread]. */
  const time = async (
    strategy: 'single' | 'per-source',
    max: number,
    mainPartition = false,
  ): Promise<[number, number, boolean, ReturnType<ThreadCpu['report']>]> => {
    const kept: Uint8Array[] = [];
    let at = 0;
    let same = true;
    const writeBytes = async (bytes: Uint8Array, length: number): Promise<void> => {
      const b = bytes.subarray(0, length);
      if (expected === undefined) kept.push(b.slice());
      else same &&= Buffer.compare(b, expected.subarray(at, at + length)) === 0;
      at += length;
    };
    // CPU per thread: this process runs nothing else meanwhile, so `main` is the run's main thread.
    const cpu = new ThreadCpu();
    cpu.begin();
    const t = performance.now();
    let started = t;
    const platform = nodePlatform(entry, cpu, (i) => mainPartition && i === 0);
    await runWorkers(features, input(), platform, {
      format: 'ndjson',
      strategy: { kind: strategy },
      budget: { hardwareConcurrency: cores, maxWorkers: max },
      onStarted: () => (started = performance.now()),
      writeBytes,
    });
    const end = performance.now();
    const report = cpu.report();
    if (expected === undefined) expected = Buffer.concat(kept);
    return [end - t, end - started, same && at === expected.length, report];
  };
  const n = Math.max(2, cores);
  const ones: number[] = [];
  const ns: number[] = [];
  const oneRuns: number[] = [];
  const nRuns: number[] = [];
  const oneCpu: ReturnType<ThreadCpu['report']>[] = [];
  const nCpu: ReturnType<ThreadCpu['report']>[] = [];
  // `featurizer run --workers N`'s layout since 2026-12-05 09:20 for two partitions or more:
  // partition 0 on the main thread (one partition stays on a worker, as the 1-worker run here).
  const hereNs: number[] = [];
  const hereNCpu: ReturnType<ThreadCpu['report']>[] = [];
  let same = true;
  const load0 = loadavg()[0]!;
  for (let rep = 0; rep < 3; rep++) {
    const [a, aRun, sameA, aCpu] = await time('single', 1);
    const [b, bRun, sameB, bCpu] = await time('per-source', n);
    const [d, , sameD, dCpu] = await time('per-source', n, true);
    same &&= sameA && sameB && sameD;
    hereNs.push(d);
    hereNCpu.push(dCpu);
    ones.push(a);
    ns.push(b);
    oneRuns.push(aRun);
    nRuns.push(bRun);
    oneCpu.push(aCpu);
    nCpu.push(bCpu);
  }
  const rate = (ms: number): string => `${((count / ms) * 1000).toFixed(0)} events/s`;
  const size = count === LINES ? `${count} lines` : `${count} lines (${count / LINES}× input)`;
  if (inThread !== undefined)
    console.log(`  replay ${size}, in-thread BatchRunner: ${rate(inMs)} (one run)`);
  else console.log(`  replay ${size}:`);
  console.log(
    `  replay, 1 worker: ${rate(median(ones))} whole run (median of 3, incl. worker start-up), ${rate(median(oneRuns))} once started`,
  );
  console.log(
    `  replay, per-source on ${n} workers (${cores} cores): ${rate(median(ns))} whole run, ${rate(median(nRuns))} once started`,
  );
  console.log(
    `  ratio N/1 workers: ${(median(ones) / median(ns)).toFixed(2)} whole run (target ≥ 1.3), ` +
      `${(median(oneRuns) / median(nRuns)).toFixed(2)} once started; outputs identical${inThread !== undefined ? ' (also to in-thread)' : ''}: ${same}` +
      ` (load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`,
  );
  const split = (xs: ReturnType<ThreadCpu['report']>[]): string => {
    const m = (f: (x: (typeof xs)[number]) => number): string => median(xs.map(f)).toFixed(0);
    const here = xs[0]!.inMain;
    const ws = xs[0]!.workers.flatMap((_, i) =>
      here.includes(i) ? [] : [`worker ${i} ${m((x) => x.workers[i] ?? NaN)} · `],
    );
    return `main ${m((x) => x.main)}${here.length > 0 ? ' (with worker 0)' : ''} · ${ws.join('')}V8/libuv helpers ${m((x) => x.other)} (process ${m((x) => x.process)}) ms`;
  };
  console.log(`  CPU per thread, 1 worker (median of 3): ${split(oneCpu)}`);
  console.log(`  CPU per thread, ${n} workers (median of 3): ${split(nCpu)}`);
  // Not the CLI's conditions, both ways: this process's main isolate is warm from the runs before
  // (its partition runs hot code at once), but its heap holds the whole input (`lines`, `chunks`),
  // which the partition's GC on the main thread marks again and again (600k lines: helpers 746
  // against 615 ms with both partitions on workers). `npm run bench -- batch` runs the CLI.
  console.log(
    `  partition 0 on the main thread (as featurizer run --workers N), same rounds: main + ${n - 1} worker(s) ` +
      `${rate(median(hereNs))} whole run, ratio to 1 worker ${(median(ones) / median(hereNs)).toFixed(2)} ` +
      `(main isolate warm, its heap holding the input: see the batch bench for the CLI)`,
  );
  console.log(`  CPU per thread, main + ${n - 1} (median of 3): ${split(hereNCpu)}`);
}

const bench: Bench = {
  name: 'workers',
  description: 'worker edge vs raw MessagePort; pipeline replay on 1 vs N workers',
  // Edges only, or the pipeline only: BENCH_WORKERS=edges|pipeline.
  async run() {
    const only = process.env.BENCH_WORKERS;
    if (only !== 'pipeline') await edges();
    if (only !== 'edges') {
      await pipeline(LINES, true);
      if (BIG > 1) await pipeline(LINES * BIG, false);
    }
  },
};
export default bench;
