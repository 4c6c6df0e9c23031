// Cluster (#15): a pipeline on a real nats-server (scripts/nats.mjs) with worker processes.
// 1. Throughput end to end — publish a recording → workers → outputs assembled by tail — with 1
//    and 2 workers, in events/s, next to `featurizer run`'s in-thread engine over the same
//    recording in this process (the ratio; target ≥ 0.3×). Workers are started and idle before
//    the clock starts (a long-running service); the tail's output is checked against run's.
// 2. Latency market message → output at 1k and 10k messages/s: each message's publish time to
//    the moment the tail's watermark covers it (all outputs of that message released), p50/p99.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DeliverPolicy } from '@nats-io/jetstream';
import { deploy } from '../src/cluster/deploy.ts';
import { deploymentFeatures, deploymentGraph } from '../src/cluster/Deployment.ts';
import { type Cluster, connectCluster } from '../src/cluster/natsConnection.ts';
import { MarketPublisher } from '../src/cluster/publish.ts';
import { lineDone, type SubgraphBatch } from '../src/cluster/SubgraphProcessor.ts';
import { tail } from '../src/cluster/tail.ts';
import { TailAssembler } from '../src/cluster/TailAssembler.ts';
import { BatchRunner } from '../src/core/batch/BatchRunner.ts';
import { RecordingDecoder } from '../src/recording/RecordingDecoder.ts';
import { clusterRecording } from '../src/testing/cluster/clusterRecording.ts';
import {
  type CliChild,
  sleep,
  spawnWorker,
  startNatsServer,
  waitForStderr,
} from '../src/testing/cluster/clusterHarness.ts';
import type { Bench } from './harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.BENCH_CLUSTER_SECONDS ?? 120);

function inThread(
  config: string,
  lines: readonly string[],
): { ms: number; out: string; events: number } {
  const features = deploymentFeatures({ configText: config, configFormat: 'yaml' });
  const t0 = performance.now();
  const runner = new BatchRunner(features, { format: 'ndjson' });
  const decoder = new RecordingDecoder();
  let out = '';
  lines.forEach((l, i) => {
    for (const e of decoder.pushItems(l, i + 1)) out += runner.pushEvent(e);
  });
  out += runner.finish();
  return { ms: performance.now() - t0, out, events: runner.stats.events };
}

/** As `featurizer publish` does it (server-ordered core publishes, checked at the end). */
async function publishAll(c: Cluster, lines: readonly string[]): Promise<void> {
  async function* items() {
    for (let i = 0; i < lines.length; i++)
      yield { text: lines[i]!, kind: 'r' as const, lineNo: i + 1 };
  }
  await new MarketPublisher(c).backfill(items());
}

/** Publish → tail for pipeline `name`, deployed from the stream's current end. */
async function endToEnd(c: Cluster, name: string, config: string, lines: readonly string[]) {
  await deploy(c, {
    name,
    configText: config,
    configFormat: 'yaml',
    scaling: 'per-source',
    from: 'now',
  });
  const t0 = performance.now();
  let out = '';
  let lastWrite = t0;
  const tailed = tail(c, {
    name,
    format: 'ndjson',
    idleExitSec: 0.3,
    write: async (t) => {
      out += t;
      lastWrite = performance.now();
    },
  });
  await publishAll(c, lines);
  await tailed;
  return { ms: lastWrite - t0, out };
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
    for await (const m of it) {
      const sg = Number(m.subject.slice(prefix.length));
      if (!asm.wants(sg)) continue;
      asm.push(sg, m.seq, m.json<SubgraphBatch>());
      asm.release();
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
      void pub.line(lines[i]!, 'r', i + 1);
    }
    await sleep(tickMs);
  }
  await pub.flush();
  await Promise.race([watching, sleep(60_000)]);
  it.stop();
  const s = lat.sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), n: s.length };
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
    const base = inThread(rec.config, lines);
    inThread(rec.config, lines); // warm
    const baseMs = Math.min(base.ms, inThread(rec.config, lines).ms);
    const evPerSec = (ms: number): string =>
      `${Math.round((base.events / ms) * 1000).toLocaleString('en')} events/s`;
    console.log(
      `  recording: ${lines.length} lines, ${base.events} events (Kraken + Coinbase, gaps and resyncs)`,
    );
    console.log(
      `  featurizer run (in-thread, this process): ${baseMs.toFixed(0)} ms, ${evPerSec(baseMs)}`,
    );
    for (const workers of [1, 2]) {
      const server = await startNatsServer();
      const c = await connectCluster(server.url, 'bench');
      const ws: CliChild[] = [];
      try {
        for (let w = 0; w < workers; w++) ws.push(spawnWorker(server.url, `b${w}`, 10));
        await Promise.all(ws.map((w) => waitForStderr(w, /started/)));
        const r = await endToEnd(c, `tput${workers}`, rec.config, lines);
        const same = r.out === base.out ? 'tail = run ✓' : 'TAIL DIFFERS FROM RUN ✗';
        console.log(
          `  cluster, ${workers} worker(s): ${r.ms.toFixed(0)} ms, ${evPerSec(r.ms)} — ${(baseMs / r.ms).toFixed(2)}× of run (target ≥ 0.3×); ${same}`,
        );
        if (workers === 1) {
          for (const rate of [1000, 10_000]) {
            const n = Math.min(lines.length, rate * 3);
            const l = await latency(c, `lat${rate}`, rec.config, lines.slice(0, n), rate);
            console.log(
              `  latency at ${rate.toLocaleString('en')} msg/s (${l.n} messages): p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`,
            );
          }
        }
      } finally {
        for (const w of ws) {
          w.child.kill('SIGTERM');
          await w.exited;
        }
        await c.nc.close();
        await server.stop();
      }
    }
  },
};
export default bench;
