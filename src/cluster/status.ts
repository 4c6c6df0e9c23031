import type { LeaseValue } from './ClusterWorker.ts';
import { listDeployments, readDeployment } from './deploy.ts';
import type { Cluster } from './Cluster.ts';
import { leaseKey, MARKET_STREAM, statKey } from './names.ts';
import { lineOf } from './SubgraphProcessor.ts';
import type { SubgraphStat } from './SubgraphRunner.ts';

export interface SubgraphStatus {
  readonly index: number;
  /** Worker holding the lease, or null. */
  readonly owner: string | null;
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
      const doneLine = stat ? lineOf(stat.done + 1) - 1 : d.startSeq - 1;
      const lagMessages = Math.max(0, last - doneLine);
      let lagSec = 0;
      if (lagMessages > 0 && lastTime !== undefined) {
        const t = await timeOf(doneLine + 1);
        if (t !== undefined) lagSec = Math.max(0, (lastTime - t) / 1000);
      }
      subgraphs.push({
        index: i,
        owner: lease?.owner ?? null,
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
