// A lease whose owner stopped renewing it is taken over after one lease, whatever the taker's
// share (#15). The share counts workers by their heartbeats, which outlive a dead or paused owner
// by two leases; workers at their share used to leave its subgraphs for that long, and to start
// judging its leases only then (one SIGSTOP test failed at load ~15: a worker paused 5 s with 2 s
// leases was not taken over). Here the owners' heartbeats stay fresh while their leases are never
// renewed — the window made permanent — so the old rule never takes them over. Real nats-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import {
  type NatsServerHandle,
  sleep,
  startNatsServer,
} from '../testing/cluster/clusterHarness.ts';
import type { LeaseValue } from './ClusterWorker.ts';
import { ClusterWorker } from './ClusterWorker.ts';
import { deploy } from './deploy.ts';
import { heartbeat } from './liveWorkers.ts';
import { type Cluster, connectCluster, toBytes } from './natsConnection.ts';
import { leaseKey } from './names.ts';

describe('ClusterWorker takeover', { timeout: 60_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  let worker: ClusterWorker | undefined;
  let beating: ReturnType<typeof setInterval> | undefined;
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
  });
  afterAll(async () => {
    clearInterval(beating);
    await worker?.stop();
    await c.nc.close();
    await server.stop();
  });

  it('takes over expired leases beyond its share while their owners still count as live', async () => {
    const { config } = clusterRecording(1);
    const d = await deploy(c, {
      name: 'p',
      configText: config,
      configFormat: 'yaml',
      scaling: 'per-source',
      from: 'now',
    });
    expect(d.subgraphs).toBe(4);
    // Three other workers, live by their heartbeats (share: 4 subgraphs ÷ 4 workers = 1 each),
    // holding subgraphs 1..3 and never renewing them.
    const ghosts = ['g1', 'g2', 'g3'];
    const beat = (): Promise<unknown> => Promise.all(ghosts.map((g) => heartbeat(c, g, 1000)));
    await beat();
    beating = setInterval(() => void beat(), 200);
    for (const [j, g] of ghosts.entries()) {
      const v: LeaseValue = { owner: g, leaseMs: 1000, restarts: 0, atMs: Date.now() };
      await c.kv.create(leaseKey('p', j + 1), toBytes(v));
    }
    worker = new ClusterWorker(c, { id: 'w1', leaseMs: 1000, telemetryMs: 0 });
    await worker.start();
    const end = Date.now() + 20_000;
    while (worker.running.length < 4 && Date.now() < end) await sleep(50);
    expect(worker.running.sort()).toEqual(['p.0', 'p.1', 'p.2', 'p.3']);
    for (let i = 1; i <= 3; i++) {
      const v = (await c.kv.get(leaseKey('p', i)))!.json<LeaseValue>();
      expect(v.owner).toBe('w1');
      expect(v.restarts).toBe(1);
    }
  });
});
