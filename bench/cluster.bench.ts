// Cluster (#15): a pipeline on a real nats-server (scripts/nats.mjs) with worker processes.
// 1. Throughput end to end — publish a recording (this process, as `featurizer publish` does:
//    batches of lines, chained core publishes) → workers → `featurizer tail --out -` (its own
//    process) — with 1 and 2 workers, in events/s, paired two ways with `featurizer run` over the
//    same recording (target ≥ 0.3×):
//    (a) steady state, the headline: `featurizer worker` is a long-running process, so in real
//        use its code is warm. The workers first run a whole pipeline over the recording (the
//        first-run measurement below is that warm-up), it is deleted (its subgraphs stop), and
//        then the measured pipeline is deployed on the same, warm workers; against `run`'s
//        in-thread engine on its warm pass in this process.
//    (b) as a user runs it the first time: fresh worker processes (started and idle, nothing run
//        yet) against the whole `featurizer run` process (wall time, node start included, as the
//        batch bench's #14 target 1). Also printed against the warm in-thread pass (the pairing
//        earlier rounds printed).
//    Workers and the tail are started, every subgraph claimed (each fenced its output subject) and
//    the tail reading, before the clock starts: long-running services. The clock stops when the
//    tail has written the outputs of every input (not its end-of-input text, written after 0.3 s
//    of idle). The tail's whole output is checked against run's. Each worker count has its own
//    server and workers; within it, (b)'s pipeline is deleted and its subgraphs stopped before
//    (a)'s is deployed, so no earlier pipeline is computed beside a measured one.
// 2. Latency market message → output at 1k and 10k messages/s (acknowledged publishes, as
//    `ingest` does): each message's publish time to the moment the tail's watermark covers it
//    (all outputs of that message released), p50/p99.
// The machine is shared: each figure comes with the load average, and with the CPU time of each
// process (server, each worker, the tail, this process and its publishing), which load inflates
// less. `BENCH_CLUSTER_PARTS=throughput|latency` runs one half; `FEATURIZER_CPU_PROF_DIR=<dir>`
// makes the workers and the tail write V8 CPU profiles there (run this process under
// `node --cpu-prof --import tsx bench/run.ts cluster` for the publisher's), and prints each
// measured pipeline's window on the profiles' clock (monotonic µs: pick (a)'s samples out of a
// worker's profile, which covers (b) too). What is measured has not changed since the
// 2026-12-05 night round (same pairings, baselines and clock).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DeliverPolicy } from '@nats-io/jetstream';
import { deploy } from '../src/cluster/deploy.ts';
import { deploymentFeatures, deploymentGraph } from '../src/cluster/Deployment.ts';
import { type Cluster, connectCluster } from '../src/cluster/natsConnection.ts';
import { leaseKey, OUTPUT_STREAM, pipelineKey, subgraphSubject } from '../src/cluster/names.ts';
import { MarketPublisher } from '../src/cluster/publish.ts';
import { clusterStatus } from '../src/cluster/status.ts';
import { decodeBatch } from '../src/cluster/OutputBatch.ts';
import { lineDone } from '../src/cluster/SubgraphProcessor.ts';
import { ByteLines } from '../src/core/batch/ByteLines.ts';
import { TailAssembler } from '../src/cluster/TailAssembler.ts';
import { BatchRunner } from '../src/core/batch/BatchRunner.ts';
import { RecordingDecoder } from '../src/recording/RecordingDecoder.ts';
import { clusterRecording } from '../src/testing/cluster/clusterRecording.ts';
import {
  type CliChild,
  sleep,
  spawnCli,
  spawnWorker,
  startNatsServer,
  waitForStderr,
} from '../src/testing/cluster/clusterHarness.ts';
import type { Bench } from './harness.ts';

/** Monotonic µs of `performance.now()` time `ms` (the clock V8 CPU profiles' times are on). */
const monoUs = (ms: number): number =>
  Math.round(Number(process.hrtime.bigint() / 1000n) - (performance.now() - ms) * 1000);
const PROFILING = process.env.FEATURIZER_CPU_PROF_DIR !== undefined;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.BENCH_CLUSTER_SECONDS ?? 120);
/** `BENCH_CLUSTER_PARTS=throughput` or `latency`: only that half (profiling one part). */
const PARTS = process.env.BENCH_CLUSTER_PARTS ?? 'throughput,latency';
/** `BENCH_CLUSTER_WORKERS=1`: only that worker count's throughput (profiling). */
const WORKER_COUNTS = (process.env.BENCH_CLUSTER_WORKERS ?? '1,2').split(',').map(Number);

function inThread(
  config: string,
  lines: readonly string[],
): { ms: number; cpuMs: number; out: string; end: string; events: number } {
  const features = deploymentFeatures({ configText: config, configFormat: 'yaml' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const runner = new BatchRunner(features, { format: 'ndjson' });
  const decoder = new RecordingDecoder();
  let out = '';
  lines.forEach((l, i) => {
    for (const e of decoder.pushItems(l, i + 1)) out += runner.pushEvent(e);
  });
  const end = runner.finish();
  out += end;
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuMsSince(cpu0), out, end, events: runner.stats.events };
}

/** /usr/bin/time reports a child's CPU seconds (Node cannot), as in the batch bench. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * The whole `featurizer run` process over the recording (node start, reading the file, writing
 * the output file included): wall and CPU ms, the median of `rounds` runs; its output must be
 * `expected` (the in-thread run's).
 */
function wholeRun(
  config: string,
  recording: string,
  expected: string,
  rounds = 3,
): { ms: number; cpuMs: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-cluster-bench-'));
  try {
    const [cfg, rec, out] = ['config.yaml', 'rec.ndjson', 'out.ndjson'].map((f) =>
      path.join(dir, f),
    ) as [string, string, string];
    writeFileSync(cfg, config);
    writeFileSync(rec, recording);
    const args = [
      path.join(ROOT, 'bin/featurizer.mjs'),
      'run',
      '-c',
      cfg,
      '-i',
      rec,
      '-o',
      out,
      '-q',
    ];
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [cmd, argv] = TIME
        ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]]
        : [process.execPath, args];
      const t0 = performance.now();
      const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8' });
      wall.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`featurizer run exited ${r.status}: ${r.stderr}`);
      const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
      cpu.push(m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN);
      if (readFileSync(out, 'utf8') !== expected)
        throw new Error('featurizer run (whole process) differs from the in-thread run');
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    return { ms: median(wall), cpuMs: median(cpu) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cpuMsSince(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
}

/** CPU time (user + system) of process `pid` so far, in ms (Linux /proc). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const load = (): string =>
  `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;

/** CPU ms of named processes (by pid) and of this process, between a start and an end. */
interface CpuMeter {
  /**
   * Also measure `pid` (a process started after the meter), from now; call the function returned
   * to take its figure then (before the process exits: /proc forgets it).
   */
  add(label: string, pid: number | undefined): () => void;
  /** `label ms, …` so far. */
  report(): string;
  /** CPU ms of each measured process so far (not this one). */
  figures(): [label: string, ms: number][];
}

/** One server and `n` idle workers; `fn` runs against them; CPU times of the measured part. */
async function withCluster<T>(
  n: number,
  fn: (c: Cluster, url: string, cpu: (thisProcess: string) => CpuMeter) => Promise<T>,
): Promise<T> {
  const server = await startNatsServer();
  const c = await connectCluster(server.url, 'bench');
  const ws: CliChild[] = [];
  try {
    for (let w = 0; w < n; w++) ws.push(spawnWorker(server.url, `b${w}`, 10, 1));
    await Promise.all(ws.map((w) => waitForStderr(w, /started/)));
    // Starts a CPU-time measurement of the server, the workers and this process.
    const cpu = (thisProcess: string): CpuMeter => {
      const procs: [label: string, pid: number | undefined, at: number, end?: number][] = [];
      const add = (label: string, pid: number | undefined): (() => void) => {
        const p: (typeof procs)[number] = [label, pid, cpuMsOf(pid)];
        procs.push(p);
        return () => void (p[3] = cpuMsOf(pid));
      };
      add('server', server.pid as number | undefined);
      ws.forEach((w, i) => add(n > 1 ? `worker ${i + 1}` : 'worker', w.child.pid));
      const me = process.cpuUsage();
      const figures = (): [string, number][] =>
        procs.map(([l, p, at, end]) => [l, Math.round((end ?? cpuMsOf(p)) - at)]);
      return {
        add,
        figures,
        report: () =>
          `CPU ms: ${figures()
            .map(([l, ms]) => `${l} ${ms}`)
            .join(', ')}, ${thisProcess} ${Math.round(cpuMsSince(me))}`,
      };
    };
    return await fn(c, server.url, cpu);
  } finally {
    for (const w of ws) {
      w.child.kill('SIGTERM');
      await w.exited;
    }
    await c.nc.close();
    await server.stop();
  }
}

/** Until every subgraph of `name` has a running owner (its fence is on the output subject). */
async function claimed(c: Cluster, name: string, subgraphs: number): Promise<void> {
  const end = Date.now() + 60_000;
  for (let i = 0; i < subgraphs; i++) {
    const subject = subgraphSubject(name, i);
    while (
      !(await c.jsm.streams
        .getMessage(OUTPUT_STREAM, { last_by_subj: subject })
        .then(() => true)
        .catch(() => false))
    ) {
      if (Date.now() > end) throw new Error(`${subject}: not claimed within 60 s`);
      await sleep(20);
    }
  }
  await sleep(200); // the runners attach to the market feed right after their fence
}

/**
 * As `featurizer publish` does it (server-ordered core publishes, checked at the end), in
 * batches of 100 lines (~60 KB: what one 64 KiB read of the file gives it).
 */
async function publishAll(c: Cluster, lines: readonly string[]): Promise<void> {
  async function* batches() {
    for (let i = 0; i < lines.length; i += 100)
      yield { texts: lines.slice(i, i + 100), firstLineNo: i + 1, kind: 'r' as const };
  }
  await new MarketPublisher(c).backfill(batches());
}

/**
 * Delete pipeline `name` (its KV key, as an operator does by hand) and wait until every worker
 * has stopped its subgraphs and released their leases.
 */
async function retire(c: Cluster, name: string, subgraphs: number): Promise<void> {
  await c.kv.delete(pipelineKey(name));
  const end = Date.now() + 60_000;
  for (let i = 0; i < subgraphs; i++)
    while ((await c.kv.get(leaseKey(name, i)))?.operation === 'PUT') {
      if (Date.now() > end) throw new Error(`${name}: subgraph ${i} still leased after 60 s`);
      await sleep(20);
    }
}

/** Until a consumer of `name`'s outputs (the tail's) has read every message there is. */
async function tailReady(c: Cluster, name: string): Promise<void> {
  const filter = `fz.${name}.sg.>`;
  const end = Date.now() + 60_000;
  for (;;) {
    for await (const ci of c.jsm.consumers.list(OUTPUT_STREAM)) {
      const f = ci.config.filter_subject ?? ci.config.filter_subjects?.[0];
      if (f === filter && ci.delivered.stream_seq > 0 && ci.num_pending === 0) return;
    }
    if (Date.now() > end) throw new Error(`the tail of ${name} did not start within 60 s`);
    await sleep(20);
  }
}

/**
 * Publish → tail for pipeline `name`, deployed from the stream's current end: the time until
 * `featurizer tail` (its own process, started and reading before the clock starts, as the
 * workers) has written the outputs of every input to its stdout (`untilChars` characters: run's
 * output without what its end of input adds, which a tail writes only once it has seen the
 * stream idle).
 */
async function endToEnd(
  c: Cluster,
  url: string,
  meter: CpuMeter,
  name: string,
  config: string,
  lines: readonly string[],
  untilChars: number,
) {
  const batches0 = (await c.jsm.streams.info(OUTPUT_STREAM)).state.messages;
  const d = await deploy(c, {
    name,
    configText: config,
    configFormat: 'yaml',
    scaling: 'per-source',
    from: 'now',
  });
  await claimed(c, name, d.subgraphs);
  const owners = (await clusterStatus(c)).pipelines
    .find((p) => p.name === name)!
    .subgraphs.map((sg) => `${sg.index}:${sg.owner}`)
    .join(' ');
  let out = '';
  let coveredAt = NaN;
  let t0 = NaN;
  let tailCpu = (): void => {};
  const tailer = spawnCli(
    ['tail', '--nats', url, '--name', name, '--out', '-', '--idle-exit', '0.3'],
    (chunk) => {
      out += chunk;
      if (Number.isNaN(coveredAt) && out.length >= untilChars) {
        coveredAt = performance.now();
        if (PROFILING)
          console.log(`    ${name}: profile window ${monoUs(t0)}–${monoUs(coveredAt)} µs`);
        tailCpu();
      }
    },
  );
  await tailReady(c, name);
  // The tail's CPU until it has written every input's outputs (then it only waits to end).
  tailCpu = meter.add('tail', tailer.child.pid);
  const pubCpu = process.cpuUsage();
  t0 = performance.now();
  await publishAll(c, lines);
  const publishedMs = performance.now() - t0;
  const publisherCpuMs = cpuMsSince(pubCpu);
  // A tail that never covers the stream (a worker died) must not hang the bench.
  const code = await Promise.race([tailer.exited, sleep(120_000).then(() => 'timeout')]);
  if (code === 'timeout') tailer.child.kill('SIGKILL');
  if (code !== 0) throw new Error(`tail exited with ${code}: ${tailer.stderr()}`);
  const batches = (await c.jsm.streams.info(OUTPUT_STREAM)).state.messages - batches0;
  return {
    ms: coveredAt - t0,
    publishedMs,
    publisherCpuMs,
    out,
    batches,
    owners,
    subgraphs: d.subgraphs,
  };
}

/** Paced publishing at `rate` msg/s; latency of each message until the tail's watermark covers it. */
async function latency(
  c: Cluster,
  name: string,
  config: string,
  lines: readonly string[],
  rate: number,
) {
  const d = await deploy(c, {
    name,
    configText: config,
    configFormat: 'yaml',
    scaling: 'per-source',
    from: 'now',
  });
  await claimed(c, name, d.subgraphs);
  const features = deploymentFeatures(d);
  const asm = new TailAssembler(
    features,
    deploymentGraph(features, d.scaling),
    'ndjson',
    lineDone(d.startSeq - 1),
  );
  const sentAt: number[] = [];
  const lat: number[] = [];
  let covered = d.startSeq - 1;
  const cons = await c.js.consumers.get('FZ_OUT', {
    filter_subjects: `fz.${name}.sg.>`,
    deliver_policy: DeliverPolicy.All,
  });
  const it = await cons.consume();
  const last = d.startSeq - 1 + lines.length;
  const watching = (async () => {
    const prefix = `fz.${name}.sg.`;
    const out = new ByteLines();
    for await (const m of it) {
      const sg = Number(m.subject.slice(prefix.length));
      if (!asm.wants(sg)) continue;
      asm.push(sg, m.seq, decodeBatch(m.data));
      asm.release(out);
      out.clear();
      const now = performance.now();
      while (covered < last && lineDone(covered + 1) <= asm.watermark) {
        covered++;
        lat.push(now - sentAt[covered - d.startSeq]!);
      }
      if (covered >= last) break;
    }
  })();
  const pub = new MarketPublisher(c, 4096);
  const t0 = performance.now();
  const tickMs = 5;
  let i = 0;
  while (i < lines.length) {
    const due = Math.min(lines.length, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; i < due; i++) {
      sentAt.push(performance.now());
      // At most the publisher's window (4096) unacknowledged: a publisher that cannot keep the
      // rate sends later (its messages' clocks start when they are sent) rather than piling up
      // requests that time out. A refused publish ends the run with its error, below.
      await pub.line(lines[i]!, 'r', i + 1).catch(() => {});
    }
    await sleep(tickMs);
  }
  const failed = await pub.flush().then(
    () => undefined,
    (e: Error) => e.message,
  );
  if (failed) {
    it.stop();
    throw new Error(`latency at ${rate} msg/s: ${failed}`);
  }
  const sentMs = performance.now() - t0;
  await Promise.race([watching, sleep(60_000)]);
  it.stop();
  const s = lat.sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), n: s.length, sentMs };
}

const bench: Bench = {
  name: 'cluster',
  description:
    'NATS JetStream pipeline: publish → workers → tail vs in-thread run; ingest→output latency',
  async run() {
    const build = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/build-cli.mjs'), '--if-stale'],
      { encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
    const rec = clusterRecording(SECONDS);
    const lines = rec.recording.split('\n').filter((l) => l !== '');
    console.log(`  ${load()} at the start`);
    const cold = inThread(rec.config, lines);
    inThread(rec.config, lines); // warm
    const warm = inThread(rec.config, lines);
    const baseMs = Math.min(cold.ms, warm.ms);
    const evPerSec = (ms: number): string =>
      `${Math.round((cold.events / ms) * 1000).toLocaleString('en')} events/s`;
    console.log(
      `  recording: ${lines.length} lines, ${cold.events} events (Kraken + Coinbase, gaps and resyncs)`,
    );
    console.log(
      `  featurizer run (in-thread, this process): ${baseMs.toFixed(0)} ms, ${evPerSec(baseMs)}; CPU ${warm.cpuMs.toFixed(0)} ms warm, ${cold.cpuMs.toFixed(0)} ms on the first (cold) run`,
    );
    const whole = PARTS.includes('throughput')
      ? wholeRun(rec.config, rec.recording, cold.out)
      : undefined;
    if (whole)
      console.log(
        `  featurizer run (whole process, node start included, median of 3): ${whole.ms.toFixed(0)} ms wall, ${evPerSec(whole.ms)}; CPU ${whole.cpuMs.toFixed(0)} ms`,
      );
    const summary: string[] = [];
    for (const workers of whole ? WORKER_COUNTS : []) {
      await withCluster(workers, async (c, url, cpu) => {
        const until = cold.out.length - cold.end.length;
        type Result = Awaited<ReturnType<typeof endToEnd>>;
        const measure = async (name: string): Promise<[Result, CpuMeter]> => {
          const meter = cpu('this process');
          return [await endToEnd(c, url, meter, name, rec.config, lines, until), meter];
        };
        // (b) first: the workers are fresh; this pipeline is then (a)'s warm-up.
        const [first, firstCpu] = await measure(`first${workers}`);
        const firstLoad = load();
        await retire(c, `first${workers}`, first.subgraphs);
        const [steady, steadyCpu] = await measure(`steady${workers}`);
        const steadyLoad = load();
        const show = (
          r: Result,
          meter: CpuMeter,
          at: string,
          runLabel: string,
          runMs: number,
          runCpuMs: number,
        ): number => {
          const same = r.out === cold.out ? 'tail = run ✓' : 'TAIL DIFFERS FROM RUN ✗';
          const ratio = runMs / r.ms;
          console.log(
            `    ${r.ms.toFixed(0)} ms (all published at ${r.publishedMs.toFixed(0)} ms), ${evPerSec(r.ms)} vs ${runLabel} ${runMs.toFixed(0)} ms: ${ratio.toFixed(2)}× (target ≥ 0.3×); ${same}`,
          );
          console.log(
            `    ${meter.report()} (of which publishing ${Math.round(r.publisherCpuMs)}); ${r.batches} output batches; subgraph:owner ${r.owners}; ${at}`,
          );
          // What load cannot inflate: with a core to each process, the run would take at least
          // the CPU time of the busiest one.
          const [busiest, busiestMs] = [
            ...meter.figures(),
            ['publisher', r.publisherCpuMs] as [string, number],
          ].reduce((x, y) => (y[1] > x[1] ? y : x));
          // And on this machine's cores, shared by all of them (and by whatever else runs here).
          const sumMs = meter.figures().reduce((t, [, ms]) => t + ms, 0) + r.publisherCpuMs;
          const cores = availableParallelism();
          console.log(
            `    bound by CPU: the busiest process (${busiest}, ${Math.round(busiestMs)} ms) vs ${runLabel}'s ${runCpuMs.toFixed(0)} ms CPU: at most ${(runCpuMs / busiestMs).toFixed(2)}× with a core to each process; all processes ${Math.round(sumMs)} ms on ${cores} cores: at most ${((runCpuMs * cores) / sumMs).toFixed(2)}× here`,
          );
          return ratio;
        };
        console.log(
          `  cluster, ${workers} worker(s), (a) steady state: warm workers (a whole pipeline run on them first) vs run's warm in-thread pass`,
        );
        const a = show(steady, steadyCpu, steadyLoad, 'run warm in-thread', baseMs, warm.cpuMs);
        console.log(
          `  cluster, ${workers} worker(s), (b) first run: fresh workers vs the whole featurizer run process`,
        );
        const b = show(first, firstCpu, firstLoad, 'run whole process', whole!.ms, whole!.cpuMs);
        console.log(
          `    the same first run vs run's warm in-thread pass (earlier rounds' pairing): ${(baseMs / first.ms).toFixed(2)}×`,
        );
        summary.push(
          `${workers} worker(s): (a) steady state ${a.toFixed(2)}×, (b) first run ${b.toFixed(2)}×`,
        );
      });
    }
    if (summary.length > 0)
      console.log(`  end to end ÷ run, target ≥ 0.3× (headline: (a)): ${summary.join('; ')}`);
    for (const rate of PARTS.includes('latency') ? [1000, 10_000] : []) {
      await withCluster(1, async (c, _url, cpu) => {
        const n = Math.min(lines.length, rate * 3);
        const meter = cpu('publisher + tail (this process)');
        const l = await latency(c, `lat${rate}`, rec.config, lines.slice(0, n), rate).catch(
          (e: Error) => e,
        );
        const used = meter.report();
        if (l instanceof Error) return console.log(`  ${l.message}\n    ${used}; ${load()}`);
        console.log(
          `  latency at ${rate.toLocaleString('en')} msg/s, 1 worker (${l.n} messages, sent in ${l.sentMs.toFixed(0)} ms): p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`,
        );
        console.log(`    ${used}; ${load()}`);
      });
    }
  },
};
export default bench;
