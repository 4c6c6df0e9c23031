import type { LeaseValue } from './ClusterWorker.ts';
import type { Cluster } from './Cluster.ts';
import type { Deployment } from './Deployment.ts';
import { listDeployments } from './deploy.ts';
import { checkName, KV_BUCKET, leaseKey, OUTPUT_STREAM, pipelineKey } from './names.ts';

/** What {@link undeploy} removed. */
export interface UndeployResult {
  readonly name: string;
  /**
   * False when no pipeline of that name was deployed but some of its state was left (a worker
   * paused while claiming one of its subgraphs, resumed after an undeploy): that was removed.
   */
  readonly deployed: boolean;
  readonly subgraphs: number;
  /** Workers that held a lease of the pipeline when it was undeployed. */
  readonly workers: string[];
  /** Leases still held by an owner that did not release them (dead or paused): fenced, not waited for. */
  readonly unreleased: number;
  readonly leases: number;
  readonly checkpoints: number;
  readonly statusRecords: number;
  readonly outputMessages: number;
}

export interface UndeployOptions {
  /** Longest wait for the workers to stop the subgraphs (default: the longest lease + 5 s). */
  readonly waitMs?: number;
}

/** Lease length assumed for a lease whose value says none (the worker's default). */
const DEFAULT_LEASE_MS = 10_000;
/** After a purge, how long to watch for a late write (a claim racing the delete) before purging again. */
const SETTLE_MS = 500;

/**
 * Remove deployed pipeline `name` (`featurizer undeploy`): delete its `pipeline.<name>` key —
 * every worker then stops its subgraphs and releases their leases within a tick — wait for that,
 * then purge its leases, checkpoints, status records (KV) and output subjects (`fz.<name>.>`).
 *
 * The key's delete marker stays: it is what tells a worker that has not ticked yet to retire the
 * pipeline (a key with no entry at all is not taken as a deletion). A lease whose revision stays
 * unchanged for its lease length belongs to a dead or paused owner: it is not waited for further.
 * Purging fences such an owner: its renewal, checkpoint and publish all expect revisions and
 * sequences that no longer exist. A write that raced the delete (a claim already under way) is
 * purged by a second pass; a claimer paused for longer can still leave a subgraph's state behind,
 * and undeploying the name again removes such leftovers. Throws, naming the pipeline, when no
 * such pipeline is deployed and nothing of it is left.
 */
export async function undeploy(
  cluster: Cluster,
  name: string,
  o: UndeployOptions = {},
): Promise<UndeployResult> {
  const bad = checkName('pipeline name', name);
  if (bad) throw new Error(bad);
  const { kv } = cluster;
  const e = await kv.get(pipelineKey(name));
  const removed = { leases: 0, checkpoints: 0, statusRecords: 0, outputMessages: 0 };
  if (e?.operation !== 'PUT') {
    const n = await purgeState(cluster, name);
    if (n.leases + n.checkpoints + n.statusRecords + n.outputMessages > 0)
      return { name, deployed: false, subgraphs: 0, workers: [], unreleased: 0, ...n };
    const names = await listDeployments(cluster);
    throw new Error(
      `no pipeline named "${name}" is deployed (deployed: ${names.length ? names.join(', ') : 'none'})`,
    );
  }
  const d = e.json<Deployment>();
  // Owners now: a worker may release its leases before the first look below.
  const owners = new Set<string>();
  for (let i = 0; i < d.subgraphs; i++) {
    const le = await kv.get(leaseKey(name, i));
    if (le?.operation === 'PUT') owners.add(le.json<LeaseValue>().owner);
  }
  try {
    await kv.delete(pipelineKey(name), { previousSeq: e.revision });
  } catch {
    throw new Error(`pipeline "${name}" changed while undeploying it (deployed again?): run again`);
  }
  const { workers, unreleased } = await waitForRelease(
    cluster,
    name,
    d.subgraphs,
    owners,
    o.waitMs,
  );
  for (let pass = 0; pass < 5; pass++) {
    const n = await purgeState(cluster, name);
    removed.leases += n.leases;
    removed.checkpoints += n.checkpoints;
    removed.statusRecords += n.statusRecords;
    removed.outputMessages += n.outputMessages;
    if (pass > 0 && n.leases + n.checkpoints + n.statusRecords + n.outputMessages === 0) break;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
  }
  return { name, deployed: true, subgraphs: d.subgraphs, workers, unreleased, ...removed };
}

/**
 * Wait until no lease of the pipeline is held by a live owner: each is deleted (released), or its
 * revision has not changed for its lease length (the cluster's own expiry rule, on this process's
 * monotonic clock). Returns the owners seen and how many leases were left unreleased.
 */
async function waitForRelease(
  cluster: Cluster,
  name: string,
  subgraphs: number,
  owners: Set<string>,
  waitMs: number | undefined,
): Promise<{ workers: string[]; unreleased: number }> {
  const seen = new Map<number, { rev: number; sinceMs: number }>();
  const start = performance.now();
  let deadline = start + (waitMs ?? DEFAULT_LEASE_MS + 5000);
  for (;;) {
    let held = 0;
    let stale = 0;
    const now = performance.now();
    for (let i = 0; i < subgraphs; i++) {
      const le = await cluster.kv.get(leaseKey(name, i));
      if (le?.operation !== 'PUT') continue;
      const v = le.json<LeaseValue>();
      owners.add(v.owner);
      const leaseMs = v.leaseMs > 0 ? v.leaseMs : DEFAULT_LEASE_MS;
      if (waitMs === undefined) deadline = Math.max(deadline, start + leaseMs + 5000);
      const s = seen.get(i);
      if (!s || s.rev !== le.revision) seen.set(i, { rev: le.revision, sinceMs: now });
      else if (now - s.sinceMs >= leaseMs) {
        stale++;
        continue;
      }
      held++;
    }
    if (held === 0 || now >= deadline)
      return { workers: [...owners].sort(), unreleased: held + stale };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Purge every KV key and output message of pipeline `name`; counts per kind. */
async function purgeState(
  cluster: Cluster,
  name: string,
): Promise<{ leases: number; checkpoints: number; statusRecords: number; outputMessages: number }> {
  const { jsm } = cluster;
  const kvStream = `KV_${KV_BUCKET}`;
  const purge = async (stream: string, filter: string): Promise<number> =>
    (await jsm.streams.purge(stream, { filter })).purged;
  // Names hold no dot (checkName), so `lease.<name>.>` matches this pipeline's keys only.
  return {
    leases: await purge(kvStream, `$KV.${KV_BUCKET}.lease.${name}.>`),
    checkpoints: await purge(kvStream, `$KV.${KV_BUCKET}.ckpt.${name}.>`),
    statusRecords: await purge(kvStream, `$KV.${KV_BUCKET}.stat.${name}.>`),
    outputMessages: await purge(OUTPUT_STREAM, `fz.${name}.>`),
  };
}
