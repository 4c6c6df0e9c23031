import { DeliverPolicy } from '@nats-io/jetstream';
import { ByteLines } from '../core/batch/ByteLines.ts';
import type { BatchFormat } from '../core/batch/OutputWriter.ts';
import { readDeployment } from './deploy.ts';
import { type Deployment, deploymentFeatures, deploymentGraph } from './Deployment.ts';
import type { Cluster } from './Cluster.ts';
import { MARKET_STREAM, OUTPUT_STREAM, pipelineKey } from './names.ts';
import { decodeBatch } from './OutputBatch.ts';
import { lineDone } from './SubgraphProcessor.ts';
import { TailAssembler } from './TailAssembler.ts';

export interface TailOptions {
  readonly name: string;
  readonly format: BatchFormat;
  /**
   * Output bytes `bytes[0 .. length]`, in order; awaited (backpressure). The buffer is reused
   * once the promise resolves: copy what is kept.
   */
  readonly write: (bytes: Uint8Array, length: number) => Promise<void>;
  /**
   * End once the outputs cover the whole market stream and nothing new arrived for this long;
   * undefined: follow forever (until `signal`).
   */
  readonly idleExitSec?: number;
  readonly signal?: AbortSignal;
}

export interface TailResult {
  readonly outputs: number;
  /** Whether the end of input was written (finish: open gaps, last CSV rows). */
  readonly finished: boolean;
}

/**
 * `featurizer tail`: the pipeline's outputs from the start of its output stream, in `featurizer
 * run`'s format and order ({@link TailAssembler}).
 */
export async function tail(cluster: Cluster, o: TailOptions): Promise<TailResult> {
  const d = await readDeployment(cluster, o.name);
  if (!d) throw new Error(`no pipeline named "${o.name}" is deployed`);
  const features = deploymentFeatures(d);
  const g = deploymentGraph(features, d.scaling);
  const asm = new TailAssembler(features, g, o.format, lineDone(d.startSeq - 1));
  const prefix = `fz.${d.name}.sg.`;
  const c = await cluster.js.consumers.get(OUTPUT_STREAM, {
    filter_subjects: `${prefix}>`,
    deliver_policy: DeliverPolicy.All,
  });
  const it = await c.consume({ max_messages: 256 });
  let lastMsgMs = performance.now();
  let finished = false;
  // A pipeline undeployed or replaced while tailed: stop, rather than follow a purged chain or
  // mix the new deployment's batches into the old one's output.
  let gone: string | undefined;
  let ticks = 0;
  // One stream-info request at a time, none after the end: an answer still pending when the
  // connection closes rejects, and unhandled that failed a finished tail (exit 1).
  let asking = false;
  let ended = false;
  const check = setInterval(() => {
    if (ended) return;
    if (++ticks % 10 === 0)
      void cluster.kv.get(pipelineKey(o.name)).then(
        (e) => {
          const now = e?.operation === 'PUT' ? e.json<Deployment>() : undefined;
          if (ended || now?.deployedAtMs === d.deployedAtMs) return;
          gone = now ? 'replaced' : 'undeployed';
          it.stop();
        },
        () => {},
      );
    if (o.idleExitSec === undefined || asking) return;
    if (performance.now() - lastMsgMs < o.idleExitSec * 1000) return;
    asking = true;
    cluster.jsm.streams
      .info(MARKET_STREAM)
      .then((info) => {
        if (!ended && asm.watermark >= lineDone(info.state.last_seq)) {
          finished = true;
          it.stop();
        }
      })
      .catch(() => {}) // asked again in 100 ms; a closed connection ends the loop below
      .finally(() => (asking = false));
  }, 100);
  const onAbort = (): void => it.stop();
  o.signal?.addEventListener('abort', onAbort);
  // Output goes out as bytes: NDJSON lines are copied from the batches as the workers wrote
  // them, never decoded to text here.
  const out = new ByteLines();
  try {
    for await (const m of it) {
      lastMsgMs = performance.now();
      const sg = Number(m.subject.slice(prefix.length));
      if (!asm.wants(sg)) continue;
      asm.push(sg, m.seq, decodeBatch(m.data));
      asm.release(out);
      if (out.length > 0) {
        await o.write(out.bytes, out.length);
        out.clear();
      }
    }
  } finally {
    ended = true;
    clearInterval(check);
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (gone) throw new Error(`pipeline "${o.name}" was ${gone} while tailing it`);
  if (finished) {
    asm.finish(out);
    await o.write(out.bytes, out.length);
  }
  return { outputs: asm.outputs, finished };
}
