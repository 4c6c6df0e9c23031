import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import { dagNodes } from '../runtime/featureSpec.ts';
import type { RunnerSink } from '../session/PipelineRunner.ts';
import { type Cluster, fromBytes } from './Cluster.ts';
import { dagNodeIds } from './deploymentNodes.ts';
import { ClusterTelemetry } from './ClusterTelemetry.ts';
import { type Deployment, deploymentFeatures, deploymentGraph } from './Deployment.ts';
import { MarketFeeds } from './MarketFeeds.ts';
import { MARKET_STREAM, telemetrySubject } from './names.ts';
import type { SubgraphTelemetry } from './SubgraphTelemetry.ts';

/** How often node rates, subgraphs and feed health go to the sink (a local run: ~10/s). */
const TELEMETRY_MS = 500;

export interface ClusterRunWatch {
  /** The document changed: show the values on its node ids. */
  remap(doc: PipelineDoc): void;
  stop(): void;
}

/**
 * What makes an opened cluster pipeline look like a local run, beside its outputs: the workers'
 * telemetry (values on every node, node rates, one "worker" per subgraph) and feed health of
 * its sources' venues from the market stream (rate, last message age, gaps, reconnects). Core
 * NATS subscriptions only: nothing here touches the output chain. `push` takes sampled values.
 */
export function watchClusterRun(
  c: Cluster,
  d: Deployment,
  doc: PipelineDoc,
  sink: RunnerSink,
  push: (nodeId: string, event: Event) => void,
): ClusterRunWatch {
  const features = deploymentFeatures(d);
  const g = deploymentGraph(features, d.scaling);
  const outputs = new Set(g.dag.outputs);
  const tel = new ClusterTelemetry(g, dagNodeIds(d, doc), outputs);
  const exchanges = dagNodes(features)
    .filter((f) => f.isSource)
    .map((f) => String(f.params.exchange));
  const feeds = new MarketFeeds([...new Set(exchanges)]);
  const subs = [
    c.nc.subscribe(`${telemetrySubject(d.name, 0).slice(0, -1)}*`, {
      callback: (err, m) => {
        if (err) return;
        try {
          const t = fromBytes<SubgraphTelemetry>(m.data);
          for (const v of tel.take(t, Date.now())) push(v.nodeId, v.event);
        } catch {
          // A message of another version or a stray publisher: not ours to show.
        }
      },
    }),
    ...feeds.subjects.map((subject) =>
      c.nc.subscribe(subject, {
        callback: (err, m) => {
          if (err) return;
          const marker = feeds.message(m.subject, m.string(), Date.now());
          if (marker) sink.onMarker?.(marker);
        },
      }),
    ),
  ];
  // The last message of each venue already in the stream: its age before anything new arrives.
  for (const subject of feeds.subjects)
    void c.jsm.streams
      .getMessage(MARKET_STREAM, { last_by_subj: subject })
      .then((m) => m && feeds.seed(subject, m.time.getTime()))
      .catch(() => undefined);
  const report = (): void => {
    const now = Date.now();
    sink.onTelemetry?.(tel.telemetry(now, feeds.statuses(now)));
  };
  const timer = setInterval(report, TELEMETRY_MS);
  return {
    remap: (next) => tel.remap(dagNodeIds(d, next), outputs),
    stop: () => {
      clearInterval(timer);
      for (const s of subs) s.unsubscribe();
    },
  };
}
