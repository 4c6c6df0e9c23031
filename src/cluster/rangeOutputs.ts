import { DeliverPolicy } from '@nats-io/jetstream';
import { ImportError } from '../session/importRecording.ts';
import type { Cluster } from './Cluster.ts';
import type { Deployment } from './Deployment.ts';
import { OUTPUT_STREAM, subgraphSubject } from './names.ts';
import { outputColumnsOf } from '../core/batch/format.ts';
import { deploymentFeatures } from './Deployment.ts';
import { decodeBatch, outputEvent } from './OutputBatch.ts';
import { lineDone, lineOf } from './SubgraphProcessor.ts';

/**
 * A deployed pipeline's outputs for market messages [`fromSeq`, `toSeq`], as recording output
 * lines (`{"node","event"}`, under the document's node ids `nodeIds[pos]`), by market sequence,
 * in input order. Read from the start of every subgraph's chain (an ordered consumer) until
 * each covers `toSeq`; throws an {@link ImportError} saying how far the cluster got when it
 * has not processed the range yet. Held in memory: meant for ranges a browser replays.
 */
export async function readRangeOutputs(
  c: Cluster,
  d: Deployment,
  nodeIds: readonly (readonly string[])[],
  fromSeq: number,
  toSeq: number,
  signal?: AbortSignal,
): Promise<Map<number, string[]>> {
  const prefix = subgraphSubject(d.name, 0).slice(0, -1);
  const consumer = await c.js.consumers.get(OUTPUT_STREAM, {
    filter_subjects: `${prefix}>`,
    deliver_policy: DeliverPolicy.All,
  });
  const covered = new Map<number, number>();
  const reached = (): number =>
    Math.min(...Array.from({ length: d.subgraphs }, (_, i) => covered.get(i) ?? 0));
  const need = lineDone(toSeq);
  const outs: [seq: number, text: string][] = [];
  const short = (): ImportError =>
    new ImportError(
      `the cluster has processed "${d.name}" only up to market message ${lineOf(reached())}, ` +
        `not to ${toSeq} yet: try again in a moment, or import without its outputs`,
    );
  if ((await consumer.info(true)).num_pending === 0) throw short();
  // An output's event again from its line; `feature` stays when a schema field is named so.
  const keep = outputColumnsOf(deploymentFeatures(d)).map((col) => col.fields.includes('feature'));
  const it = await consumer.consume({ max_messages: 256 });
  const abort = (): void => void it.stop();
  signal?.addEventListener('abort', abort);
  try {
    for await (const m of it) {
      const sg = Number(m.subject.slice(prefix.length));
      const b = decodeBatch(m.data);
      covered.set(sg, Math.max(covered.get(sg) ?? 0, b.to));
      for (let k = 0; k < b.outSeq.length; k++) {
        const seq = b.outSeq[k]!;
        const line = lineOf(seq);
        const pos = b.outPos[k]!;
        const ids = nodeIds[pos];
        if (line < fromSeq || line > toSeq || ids === undefined || ids.length === 0) continue;
        const event = outputEvent(b, k, keep[pos]);
        for (const node of ids) outs.push([seq, JSON.stringify({ node, event })]);
      }
      if (reached() >= need) break;
      if (m.info.pending === 0) throw short();
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    await it.close().catch(() => undefined);
  }
  if (signal?.aborted) throw new ImportError('cancelled: nothing was kept');
  // Per node its events are in input order already (one chain each); a stable sort by input
  // puts every line's outputs together, in the order the graph produced them.
  outs.sort((a, b) => a[0] - b[0]);
  const byLine = new Map<number, string[]>();
  for (const [seq, text] of outs) {
    const line = lineOf(seq);
    const list = byLine.get(line);
    if (list) list.push(text);
    else byLine.set(line, [text]);
  }
  return byLine;
}
