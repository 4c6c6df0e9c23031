import { DeliverPolicy } from '@nats-io/jetstream';
import {
  type FeaturizerConfig,
  parseFeaturizerConfig,
  pipelineFromConfig,
} from '../core/config/index.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import type { PipelineRunner, RunnerSink } from '../session/PipelineRunner.ts';
import type { Cluster } from './Cluster.ts';
import { type Deployment, deploymentFeatures } from './Deployment.ts';
import { nodeIdsOf } from './deploymentNodes.ts';
import { OUTPUT_STREAM, subgraphSubject } from './names.ts';
import { decodeBatch, outputEvent } from './OutputBatch.ts';
import { outputColumnsOf } from '../core/batch/format.ts';
import { type ClusterRunWatch, watchClusterRun } from './watchClusterRun.ts';

/** How often gathered events go to the sink (about an animation frame or three). */
const FLUSH_MS = 50;

/** The deployed pipeline as a studio document (a `pipeline` deployment is one already). */
export function deploymentDoc(d: Deployment): PipelineDoc {
  if (d.configFormat === 'pipeline') return JSON.parse(d.configText) as PipelineDoc;
  const config: FeaturizerConfig = parseFeaturizerConfig(d.configText, d.configFormat);
  return pipelineFromConfig(config, d.name);
}

/**
 * For each output position of the deployment (its subgraph batches' `pos`), the ids of the
 * document's nodes computing that feature. Matched by feature key (and name): the document
 * and the deployment build equal features from the same text.
 */
export function outputNodes(d: Deployment, doc: PipelineDoc): string[][] {
  return nodeIdsOf(deploymentFeatures(d), doc);
}

/**
 * A {@link PipelineRunner} fed by a deployed pipeline's output subjects instead of a local
 * engine: it reads every subgraph's chain from the start of the output stream and hands each
 * output event to the sink under the node ids of the document on screen, so values, sparklines
 * and charts work as for a local run. The other nodes show the workers' sampled values, and
 * node rates, subgraphs and feed health come from the workers' telemetry and the market stream
 * ({@link watchClusterRun}). Edits on the canvas do not change what
 * the cluster runs (`update` is a no-op): deploy under a new name for that.
 */
export class ClusterRunner implements PipelineRunner {
  private stopFn: (() => void) | undefined;
  private nodes: string[][] = [];
  private pending = new Map<string, Event[]>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private watch: ClusterRunWatch | undefined;

  constructor(
    private readonly sink: RunnerSink,
    private readonly cluster: Cluster,
    private readonly deployment: Deployment,
  ) {}

  start(doc: PipelineDoc): void {
    this.stop();
    try {
      this.nodes = outputNodes(this.deployment, doc);
    } catch (e) {
      this.sink.onStatus({ state: 'error', message: errorText(e), skipped: [] });
      return;
    }
    let stopped = false;
    let stopConsumer: (() => void) | undefined;
    this.stopFn = () => {
      stopped = true;
      stopConsumer?.();
    };
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    try {
      this.watch = watchClusterRun(this.cluster, this.deployment, doc, this.sink, (id, ev) =>
        this.add(id, ev),
      );
    } catch {
      // Values of outputs still flow; telemetry is a view (e.g. a closed connection).
    }
    this.sink.onStatus({
      state: 'running',
      message: `cluster pipeline "${this.deployment.name}"`,
      skipped: [],
    });
    const name = this.deployment.name;
    const prefix = subgraphSubject(name, 0).slice(0, -1);
    void (async () => {
      const c = await this.cluster.js.consumers.get(OUTPUT_STREAM, {
        filter_subjects: `${prefix}>`,
        deliver_policy: DeliverPolicy.All,
      });
      if (stopped) return;
      const it = await c.consume({ max_messages: 256 });
      stopConsumer = () => void it.stop();
      if (stopped) return void it.stop();
      // An output's event again from its line; `feature` stays when a schema field is named so.
      const keep = outputColumnsOf(deploymentFeatures(this.deployment)).map((c) =>
        c.fields.includes('feature'),
      );
      for await (const m of it) {
        const b = decodeBatch(m.data);
        for (let k = 0; k < b.outPos.length; k++) {
          const pos = b.outPos[k]!;
          const ids = this.nodes[pos];
          if (ids === undefined || ids.length === 0) continue;
          const ev = outputEvent(b, k, keep[pos]);
          for (const nodeId of ids) this.add(nodeId, ev);
        }
      }
    })().catch((e: unknown) => {
      if (stopped) return;
      this.sink.onStatus({ state: 'error', message: errorText(e), skipped: [] });
    });
  }

  /**
   * The cluster runs the deployed definition; canvas edits do not reach it. Node moves and
   * renames keep the values flowing (outputs are re-mapped); a document that no longer computes
   * every deployed output (another pipeline opened, a node deleted) stops them, saying why,
   * rather than painting the cluster's values onto nodes they do not belong to.
   */
  update(doc: PipelineDoc): void {
    if (!this.stopFn) return;
    let nodes: string[][] | undefined;
    try {
      nodes = outputNodes(this.deployment, doc);
    } catch {
      nodes = undefined;
    }
    if (nodes && nodes.every((ids) => ids.length > 0)) {
      this.nodes = nodes;
      this.watch?.remap(doc);
      return;
    }
    this.stop();
    this.sink.onStatus({
      state: 'stopped',
      message: `the pipeline on screen is no longer the deployed "${this.deployment.name}": open it again from the Cluster tab`,
      skipped: [],
    });
  }

  stop(): void {
    if (!this.stopFn) return;
    this.stopFn();
    this.stopFn = undefined;
    this.watch?.stop();
    this.watch = undefined;
    clearInterval(this.timer);
    this.flush();
    this.sink.onStatus({ state: 'stopped', skipped: [] });
  }

  setSeriesNodes(): void {
    // Every output event is shipped: the subjects carry them all anyway.
  }

  private add(nodeId: string, ev: Event): void {
    const list = this.pending.get(nodeId);
    if (list) list.push(ev);
    else this.pending.set(nodeId, [ev]);
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending].map(([nodeId, events]) => ({ nodeId, events }));
    this.pending = new Map();
    this.sink.onBatch(batch);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
