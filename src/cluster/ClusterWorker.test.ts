// Claiming by decoding affinity (#15): subgraphs of a pipeline that decode the same venues share
// one decoder within a worker, so two workers sharing three per-source pipelines (each a Kraken
// group and a Coinbase group of two subgraphs) must each take whole groups, never half of one
// (a random split would make both workers decode a venue: more than one chance in two per
// pipeline). Real nats-server, workers in this process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import {
  type NatsServerHandle,
  sleep,
  startNatsServer,
} from '../testing/cluster/clusterHarness.ts';
import { ClusterWorker } from './ClusterWorker.ts';
import { deploy } from './deploy.ts';
import { deploymentFeatures, deploymentGraph } from './Deployment.ts';
import { type Cluster, connectCluster } from './natsConnection.ts';
import { leaseKey, pipelineKey } from './names.ts';
import { decodeKeyOf } from './SubgraphProcessor.ts';

describe('ClusterWorker claims', { timeout: 60_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  const workers: ClusterWorker[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await c.nc.close();
    await server.stop();
  });

  it('takes whole groups of subgraphs that share decoding', async () => {
    const { config } = clusterRecording(1);
    const features = deploymentFeatures({ configText: config, configFormat: 'yaml' });
    const g = deploymentGraph(features, 'per-source');
    const keyOf = (i: number): string => decodeKeyOf(features, g, i);
    // The fixture: 4 subgraphs, two venues, two subgraphs each.
    expect([0, 1, 2, 3].map(keyOf).sort()).toEqual(['COINBASE', 'COINBASE', 'KRAKEN', 'KRAKEN']);
    for (const w of ['w1', 'w2']) {
      const worker = new ClusterWorker(c, { id: w, leaseMs: 3000, telemetryMs: 0 });
      workers.push(worker);
      await worker.start();
    }
    await sleep(1200); // both heartbeats seen: each claims its half
    for (const name of ['a', 'b', 'c'])
      await deploy(c, {
        name,
        configText: config,
        configFormat: 'yaml',
        scaling: 'per-source',
        from: 'now',
      });
    const end = Date.now() + 30_000;
    while (workers.some((w) => w.running.length < 6) && Date.now() < end) await sleep(100);
    expect(workers.map((w) => w.running.length)).toEqual([6, 6]);
    const groupsOf = (w: ClusterWorker): string[] =>
      w.running.map((k) => {
        const [p, i] = k.split('.');
        return `${p} ${keyOf(Number(i))}`;
      });
    const [a, b] = workers.map(groupsOf);
    // Each (pipeline, venue) group is run by one worker only.
    expect(a!.filter((x) => b!.includes(x))).toEqual([]);
  });

  it('stops the subgraphs of a pipeline whose key was deleted, and releases their leases', async () => {
    // Runs after the test above: two workers, pipelines a, b and c of 4 subgraphs each.
    expect(workers.flatMap((w) => w.running).filter((k) => k.startsWith('a.'))).toHaveLength(4);
    await c.kv.delete(pipelineKey('a'));
    const end = Date.now() + 30_000;
    const runningA = (): string[] =>
      workers.flatMap((w) => w.running).filter((k) => k.startsWith('a.'));
    while (runningA().length > 0 && Date.now() < end) await sleep(100);
    expect(runningA()).toEqual([]);
    for (let i = 0; i < 4; i++) expect((await c.kv.get(leaseKey('a', i)))?.operation).toBe('DEL');
    // The other pipelines run on: 8 subgraphs, each run by one worker.
    const rest = workers.flatMap((w) => w.running).sort();
    expect(rest).toEqual(['b.0', 'b.1', 'b.2', 'b.3', 'c.0', 'c.1', 'c.2', 'c.3']);
  });
});

describe('ClusterWorker claims after a redeploy', { timeout: 90_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  const workers: ClusterWorker[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await c.nc.close();
    await server.stop();
  });

  it('each worker takes again the venues it decoded before (its code for them is warm)', async () => {
    const { config } = clusterRecording(1);
    const features = deploymentFeatures({ configText: config, configFormat: 'yaml' });
    const g = deploymentGraph(features, 'per-source');
    for (const w of ['w1', 'w2']) {
      const worker = new ClusterWorker(c, { id: w, leaseMs: 3000, telemetryMs: 0 });
      workers.push(worker);
      await worker.start();
    }
    await sleep(1200); // both heartbeats seen: each claims its half
    const venues = (w: ClusterWorker): string =>
      [...new Set(w.running.map((k) => decodeKeyOf(features, g, Number(k.split('.')[1]))))]
        .sort()
        .join(',');
    const seen: string[][] = [];
    // Without the preference each redeploy's split is a coin toss: 1 chance in 8 to keep it 3 times.
    for (const name of ['p0', 'p1', 'p2', 'p3']) {
      await deploy(c, {
        name,
        configText: config,
        configFormat: 'yaml',
        scaling: 'per-source',
        from: 'now',
      });
      let end = Date.now() + 30_000;
      while (workers.some((w) => w.running.length < 2) && Date.now() < end) await sleep(50);
      seen.push(workers.map(venues));
      await c.kv.delete(pipelineKey(name));
      end = Date.now() + 30_000;
      while (workers.some((w) => w.running.length > 0) && Date.now() < end) await sleep(50);
    }
    // Each worker ran one whole venue group, the same one every time.
    expect([...seen[0]!].sort()).toEqual(['COINBASE', 'KRAKEN']);
    for (const s of seen.slice(1)) expect(s).toEqual(seen[0]);
  });
});

describe('ClusterWorker: a released lease', { timeout: 60_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  const workers: ClusterWorker[] = [];
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await c.nc.close();
    await server.stop();
  });

  it('is claimed at once by another worker, not at its next tick', async () => {
    const { config } = clusterRecording(1);
    // Ticks every 10 s: a claim within a second can only come from the release itself.
    for (const w of ['w1', 'w2']) {
      const worker = new ClusterWorker(c, { id: w, leaseMs: 30_000, telemetryMs: 0 });
      workers.push(worker);
      await worker.start();
    }
    await deploy(c, {
      name: 'r',
      configText: config,
      configFormat: 'yaml',
      scaling: 'per-source',
      from: 'now',
    });
    let end = Date.now() + 20_000;
    while (workers.some((w) => w.running.length < 2) && Date.now() < end) await sleep(50);
    expect(workers.map((w) => w.running.length)).toEqual([2, 2]);
    const [w1, w2] = workers as [ClusterWorker, ClusterWorker];
    await w1.stop();
    const stoppedAt = Date.now();
    end = stoppedAt + 5_000;
    while (w2.running.length < 4 && Date.now() < end) await sleep(20);
    expect(w2.running.sort()).toEqual(['r.0', 'r.1', 'r.2', 'r.3']);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
  });
});
