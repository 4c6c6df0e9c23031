// `featurizer status` says who runs each subgraph, never a bare null (#15): against a real
// nats-server and worker processes, a subgraph goes unclaimed → held → released (its worker got
// SIGTERM: the last owner is named) → held by another → expired (that worker got SIGKILL: still
// its owner, with the lease's age); and reads racing fast renewals always see the holder.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';
import { clusterRecording } from '../testing/cluster/clusterRecording.ts';
import {
  type CliChild,
  lineItems,
  type NatsServerHandle,
  sleep,
  spawnWorker,
  startNatsServer,
} from '../testing/cluster/clusterHarness.ts';
import { type Cluster, connectCluster } from './natsConnection.ts';
import { MarketPublisher } from './publish.ts';
import { clusterStatus, type SubgraphStatus } from './status.ts';

describe('featurizer status: lease states', { timeout: 90_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  const children: CliChild[] = [];
  const dir = tempDir();
  const CONFIG = path.join(dir, 'config.yaml');

  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
    const r = clusterRecording(3);
    writeFileSync(CONFIG, r.config);
    const lines = r.recording.split('\n').filter((l) => l !== '');
    await new MarketPublisher(c).backfill(lineItems(lines, 'r'));
  });
  afterAll(async () => {
    for (const ch of children) {
      ch.child.kill('SIGKILL');
      await ch.exited;
    }
    await c?.nc.close();
    await server?.stop();
  });

  const sg = async (): Promise<SubgraphStatus> =>
    (await clusterStatus(c)).pipelines.find((p) => p.name === 'p')!.subgraphs[0]!;
  const statusLine = (): string =>
    featurizer(['status', '--nats', server.url]).stdout.match(/ {2}subgraph 0: .*/)![0];
  const until = async (
    ok: (g: SubgraphStatus) => boolean,
    what: string,
  ): Promise<SubgraphStatus> => {
    const end = Date.now() + 30_000;
    for (;;) {
      const g = await sg();
      if (ok(g)) return g;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(g)}`);
      await sleep(100);
    }
  };
  const worker = (id: string, leaseSec: number): CliChild => {
    const w = spawnWorker(server.url, id, leaseSec, 0.3);
    children.push(w);
    return w;
  };

  it('unclaimed, held, released with its last owner, expired with its owner', async () => {
    const d = featurizer([
      'deploy',
      '--nats',
      server.url,
      '--config',
      CONFIG,
      '--name',
      'p',
      '--scaling',
      'single',
      '--from',
      'start',
    ]);
    expect(d.code, d.stderr).toBe(0);
    expect(await sg()).toMatchObject({
      state: 'unclaimed',
      owner: null,
      lastOwner: null,
      leaseAgeSec: null,
    });
    expect(statusLine()).toMatch(/^ {2}subgraph 0: unclaimed \(never run\), lag \d+ msgs/);

    const w1 = worker('w1', 1);
    const held = await until(
      (g) => g.state === 'held' && g.checkpointAgeSec !== null,
      'w1 to hold it',
    );
    expect(held).toMatchObject({ owner: 'w1', lastOwner: 'w1' });
    expect(held.leaseAgeSec).toBeLessThan(1);
    expect(statusLine()).toMatch(/^ {2}subgraph 0: owner w1, lag/);

    w1.child.kill('SIGTERM');
    await w1.exited;
    expect(await sg()).toMatchObject({
      state: 'released',
      owner: null,
      lastOwner: 'w1',
      leaseAgeSec: null,
    });
    expect(statusLine()).toMatch(
      /^ {2}subgraph 0: released \(last owner w1; the next worker to tick claims it\), lag/,
    );

    const w2 = worker('w2', 1);
    await until((g) => g.state === 'held' && g.owner === 'w2', 'w2 to hold it');
    w2.child.kill('SIGKILL');
    await w2.exited;
    await sleep(1500);
    const expired = await sg();
    expect(expired).toMatchObject({ state: 'expired', owner: 'w2', lastOwner: 'w2' });
    expect(expired.leaseAgeSec).toBeGreaterThan(1);
    expect(statusLine()).toMatch(
      /^ {2}subgraph 0: owner w2 \(lease not renewed for \d+\.\d s: to be taken over\), lag/,
    );
  });

  it('reads racing renewals every 100 ms always see the holder', async () => {
    worker('w3', 0.3); // takes over w2's expired lease, renews it every 100 ms
    await until((g) => g.state === 'held' && g.owner === 'w3', 'w3 to take it over');
    const seen = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const g = await sg();
      seen.add(`${g.state} ${g.owner}`);
    }
    expect([...seen]).toEqual(['held w3']);
  });
});
