import type { LeaseValue } from './ClusterWorker.ts';
import { listDeployments, readDeployment } from './deploy.ts';
import type { Cluster } from './Cluster.ts';
import { leaseKey, MARKET_STREAM, statKey } from './names.ts';
import { lineOf } from './SubgraphProcessor.ts';
import type { SubgraphStat } from './SubgraphRunner.ts';

/**
 * Who runs a subgraph, as its lease says:
 * - `held`: a worker holds the lease and renewed it within its lease length;
 * - `expired`: the lease was not renewed for longer than its length: its owner is dead, paused or
 *   starved, and another worker takes it over once it has seen it unchanged for a lease;
 * - `released`: its last owner stopped and released it (SIGTERM): the next worker's tick claims it;
 * - `unclaimed`: no lease yet (just deployed, or no worker running).
 */
export type LeaseState = 'held' | 'expired' | 'released' | 'unclaimed';

export interface SubgraphStatus {
  readonly index: number;
  readonly state: LeaseState;
  /** Worker holding the lease (`held` or `expired`), else null. */
  readonly owner: string | null;
  /** The lease's owner, else the worker that wrote the last checkpoint; null if none ever ran it. */
  readonly lastOwner: string | null;
  /**
   * Seconds since the lease was last claimed or renewed (the server's time of that write against
   * this machine's clock: meaningful with clocks in sync), or null without a lease.
   */
  readonly leaseAgeSec: number | null;
  /** Market messages not yet processed (as of the last checkpoint). */
  readonly lagMessages: number;
  /** Receipt-time span of those messages on the server, seconds. */
  readonly lagSec: number;
  /** Seconds since the last checkpoint, or null before the first. */
  readonly checkpointAgeSec: number | null;
  /** Lease takeovers so far. */
  readonly restarts: number;
  /** Market lines the decoder refused (skipped). */
  readonly badLines: number;
}

export interface PipelineStatus {
  readonly name: string;
  readonly scaling: string;
  readonly startSeq: number;
  readonly subgraphs: SubgraphStatus[];
}

/** Status of every deployed pipeline (`featurizer status`, the studio's Cluster tab). */
export async function clusterStatus(
  cluster: Cluster,
): Promise<{ marketLastSeq: number; pipelines: PipelineStatus[] }> {
  const { kv, jsm } = cluster;
  const md = await jsm.streams.info(MARKET_STREAM);
  const last = md.state.last_seq;
  const timeOf = async (seq: number): Promise<number | undefined> => {
    const m = await jsm.streams.getMessage(MARKET_STREAM, { seq }).catch(() => null);
    return m ? m.time.getTime() : undefined;
  };
  const lastTime = last > 0 ? await timeOf(last) : undefined;
  const pipelines: PipelineStatus[] = [];
  for (const name of await listDeployments(cluster)) {
    const d = await readDeployment(cluster, name);
    if (!d) continue;
    const subgraphs: SubgraphStatus[] = [];
    for (let i = 0; i < d.subgraphs; i++) {
      const le = await kv.get(leaseKey(name, i));
      const lease = le?.operation === 'PUT' ? le.json<LeaseValue>() : undefined;
      const se = await kv.get(statKey(name, i));
      const stat = se?.operation === 'PUT' ? se.json<SubgraphStat>() : undefined;
      const leaseAgeSec = lease ? Math.max(0, (Date.now() - le!.created.getTime()) / 1000) : null;
      const state: LeaseState = lease
        ? leaseAgeSec! * 1000 > lease.leaseMs
          ? 'expired'
          : 'held'
        : le === null
          ? 'unclaimed'
          : 'released';
      const doneLine = stat ? lineOf(stat.done + 1) - 1 : d.startSeq - 1;
      const lagMessages = Math.max(0, last - doneLine);
      let lagSec = 0;
      if (lagMessages > 0 && lastTime !== undefined) {
        const t = await timeOf(doneLine + 1);
        if (t !== undefined) lagSec = Math.max(0, (lastTime - t) / 1000);
      }
      subgraphs.push({
        index: i,
        state,
        owner: lease?.owner ?? null,
        lastOwner: lease?.owner ?? stat?.owner ?? null,
        leaseAgeSec,
        lagMessages,
        lagSec,
        checkpointAgeSec: stat ? (Date.now() - stat.checkpointAtMs) / 1000 : null,
        restarts: lease?.restarts ?? 0,
        badLines: stat?.badLines ?? 0,
      });
    }
    pipelines.push({ name, scaling: d.scaling, startSeq: d.startSeq, subgraphs });
  }
  return { marketLastSeq: last, pipelines };
}

/**
 * Who runs subgraph `g`, in words (`featurizer status`, the studio's Cluster tab): the owner's
 * name when it holds the lease, else what happened to it — never a bare "null".
 */
export function ownerText(g: SubgraphStatus): string {
  const last = g.lastOwner ? `last owner ${g.lastOwner}` : 'never run';
  switch (g.state) {
    case 'held':
      return g.owner!;
    case 'expired':
      return `${g.owner} (lease not renewed for ${g.leaseAgeSec!.toFixed(1)} s: to be taken over)`;
    case 'released':
      return `released (${last}; the next worker to tick claims it)`;
    default:
      return `unclaimed (${last})`;
  }
}
