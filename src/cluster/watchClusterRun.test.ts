// An opened cluster pipeline's side channels (#15) against a real nats-server: a worker's
// telemetry gives values to nodes that are not outputs, and the market stream's markers give
// the sources' feed health, while the output chain (and so `tail`) is untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunTelemetry } from '../session/PipelineRunner.ts';
import { CONFIG } from '../testing/cluster/clusterRecording.ts';
import {
  lineItems,
  type NatsServerHandle,
  startNatsServer,
} from '../testing/cluster/clusterHarness.ts';
import { deploymentDoc } from './ClusterRunner.ts';
import type { Deployment } from './Deployment.ts';
import { type Cluster, connectCluster } from './natsConnection.ts';
import { MarketPublisher } from './publish.ts';
import { watchClusterRun } from './watchClusterRun.ts';

const d: Deployment = {
  version: 1,
  name: 'w',
  configText: CONFIG,
  configFormat: 'yaml',
  scaling: 'per-source',
  startSeq: 1,
  subgraphs: 4,
  deployedAtMs: 0,
};

describe('watchClusterRun', { timeout: 30_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
  });
  afterAll(async () => {
    await c?.nc.close();
    await server?.stop();
  });

  it('counts market markers of the sources venues into feed health', async () => {
    const reports: RunTelemetry[] = [];
    const markers: unknown[] = [];
    const w = watchClusterRun(
      c,
      d,
      deploymentDoc(d),
      {
        onBatch: () => {},
        onStatus: () => {},
        onTelemetry: (t) => reports.push(t),
        onMarker: (m) => markers.push(m),
      },
      () => {},
    );
    await c.nc.flush();
    const gap = { receipt_timestamp: 5, exchange: 'KRAKEN', marker: 'gap', symbol: 'BTC-USDT' };
    await new MarketPublisher(c).backfill(lineItems([JSON.stringify(gap)], 'r'));
    await expect
      .poll(() => reports.at(-1)?.feeds.find((f) => f.exchange === 'KRAKEN')?.counters.gaps)
      .toBe(1);
    expect(markers).toEqual([{ kind: 'gap', exchange: 'KRAKEN', symbol: 'BTC-USDT', ts: 5 }]);
    w.stop();
  });
});
