import { type Cluster, toBytes } from './Cluster.ts';
import { workerKey } from './names.ts';

/** A worker's heartbeat in KV (`worker.<id>`), written at every claim round. */
export interface WorkerHeartbeat {
  readonly atMs: number;
  readonly leaseMs: number;
}

/** Write worker `id`'s heartbeat now. */
export async function heartbeat(cluster: Cluster, id: string, leaseMs: number): Promise<void> {
  const v: WorkerHeartbeat = { atMs: Date.now(), leaseMs };
  await cluster.kv.put(workerKey(id), toBytes(v));
}

/**
 * Workers whose heartbeat is recent (within two of their leases: a claim round may run late on a
 * loaded machine), at least 1 (the caller). Wall clocks are compared here, so this only sizes a
 * worker's share of subgraphs; lease expiry never depends on it.
 */
export async function liveWorkers(cluster: Cluster): Promise<number> {
  let n = 0;
  const now = Date.now();
  for await (const key of await cluster.kv.keys('worker.>')) {
    const e = await cluster.kv.get(key);
    if (e?.operation !== 'PUT') continue;
    const v = e.json<WorkerHeartbeat>();
    if (Math.abs(now - v.atMs) < 2 * v.leaseMs) n++;
  }
  return Math.max(1, n);
}
