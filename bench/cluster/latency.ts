// The cluster bench's latency (#15): market message → output, paced publishing with acks (as
// `ingest` does), each message until the tail's watermark covers it.
import { performance } from 'node:perf_hooks';
import { DeliverPolicy } from '@nats-io/jetstream';
import { deploy } from '../../src/cluster/deploy.ts';
import { deploymentFeatures, deploymentGraph } from '../../src/cluster/Deployment.ts';
import type { Cluster } from '../../src/cluster/natsConnection.ts';
import { decodeBatch } from '../../src/cluster/OutputBatch.ts';
import { MarketPublisher } from '../../src/cluster/publish.ts';
import { lineDone } from '../../src/cluster/SubgraphProcessor.ts';
import { TailAssembler } from '../../src/cluster/TailAssembler.ts';
import { ByteLines } from '../../src/core/batch/ByteLines.ts';
import { sleep } from '../../src/testing/cluster/clusterHarness.ts';
import { claimed } from './endToEnd.ts';

/** Paced publishing at `rate` msg/s; latency of each message until the tail's watermark covers it. */
export async function latency(
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([watching, new Promise((r) => (timer = setTimeout(r, 60_000)))]);
  clearTimeout(timer);
  it.stop();
  const s = lat.sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), n: s.length, sentMs };
}
