// The cluster bench's end-to-end throughput (#15): publish → workers → `featurizer tail`, timed
// from the first publish to the tail's writing the outputs of every input.
import { performance } from 'node:perf_hooks';
import { deploy } from '../../src/cluster/deploy.ts';
import type { Cluster } from '../../src/cluster/natsConnection.ts';
import { leaseKey, OUTPUT_STREAM, pipelineKey, subgraphSubject } from '../../src/cluster/names.ts';
import { MarketPublisher } from '../../src/cluster/publish.ts';
import { clusterStatus } from '../../src/cluster/status.ts';
import { sleep, spawnCli } from '../../src/testing/cluster/clusterHarness.ts';
import { cpuMsSince } from './baselines.ts';
import type { CpuMeter } from './withCluster.ts';

/** Monotonic µs of `performance.now()` time `ms` (the clock V8 CPU profiles' times are on). */
const monoUs = (ms: number): number =>
  Math.round(Number(process.hrtime.bigint() / 1000n) - (performance.now() - ms) * 1000);
const PROFILING = process.env.FEATURIZER_CPU_PROF_DIR !== undefined;

/** Until every subgraph of `name` has a running owner (its fence is on the output subject). */
export async function claimed(c: Cluster, name: string, subgraphs: number): Promise<void> {
  const end = Date.now() + 60_000;
  for (let i = 0; i < subgraphs; i++) {
    const subject = subgraphSubject(name, i);
    while (
      !(await c.jsm.streams
        .getMessage(OUTPUT_STREAM, { last_by_subj: subject })
        // Null when the subject has no message yet (the client does not reject): until
        // 2026-12-05 this took null for a fence, so the clock could start before the claims.
        .then((m) => m !== null)
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
export async function retire(c: Cluster, name: string, subgraphs: number): Promise<void> {
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
export async function endToEnd(
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  const code = await Promise.race([
    tailer.exited,
    new Promise<string>((r) => (timer = setTimeout(() => r('timeout'), 120_000))),
  ]);
  // Cleared: a pending timer kept the bench process alive 2 minutes after its last figure.
  clearTimeout(timer);
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
