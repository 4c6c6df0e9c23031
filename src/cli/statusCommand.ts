import type { Cluster } from '../cluster/natsConnection.ts';
import { clusterStatus, ownerText } from '../cluster/status.ts';
import type { CliIo } from './CliIo.ts';

/** `featurizer status [--json]`: per pipeline and subgraph, who runs it, lag, checkpoint age, restarts. */
export async function statusCommand(
  cluster: Cluster,
  v: Record<string, string | boolean | undefined>,
  io: CliIo,
): Promise<number> {
  const s = await clusterStatus(cluster);
  if (v.json) {
    io.out(`${JSON.stringify(s)}\n`);
    return 0;
  }
  io.out(`market stream: ${s.marketLastSeq} messages\n`);
  for (const p of s.pipelines) {
    io.out(`${p.name} (${p.scaling}, from ${p.startSeq})\n`);
    for (const g of p.subgraphs) {
      const age = g.checkpointAgeSec === null ? 'never' : `${g.checkpointAgeSec.toFixed(1)} s ago`;
      io.out(
        `  subgraph ${g.index}: ${g.owner !== null ? 'owner ' : ''}${ownerText(g)}, lag ${g.lagMessages} msgs / ${g.lagSec.toFixed(1)} s, checkpoint ${age}, restarts ${g.restarts}${g.badLines ? `, ${g.badLines} unreadable lines` : ''}\n`,
      );
    }
  }
  return 0;
}
