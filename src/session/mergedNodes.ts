/**
 * A node that runs as another node's feature: the two are identical (same definition,
 * parameters and inputs), so the plan computes them once, on the worker one `worker` field asks
 * for; this node's own field asked for another (or for none). What the canvas tells the user on
 * that node, instead of a chip silently contradicting its worker field.
 */
export interface MergedNode {
  readonly nodeId: string;
  /** Its `worker` field (undefined: placed by the scaling strategy). */
  readonly requested: string | undefined;
  /** The identical node whose `worker` field placed their feature. */
  readonly withNodeId: string;
  /** That node's `worker` field: the one that won. */
  readonly placedBy: string;
  /** The worker the feature runs on (the run's worker index, as the node chips show). */
  readonly worker: number;
}

/**
 * The nodes whose `worker` field lost to an identical node's, in DAG then document order.
 * `idsAtNode`: node ids per DAG node, in document order; `fields`: each id's `worker` field;
 * `workerAt`: each DAG node's worker. The rule is `planWorkers`' (it assigns the fields in
 * document order, each over the last): the last node of a feature with a `worker` field places
 * it; every other node of that feature whose field differs (none included) is reported.
 */
export function mergedNodes(
  idsAtNode: readonly (readonly string[])[],
  fields: ReadonlyMap<string, string | undefined>,
  workerAt: readonly number[],
): MergedNode[] {
  const out: MergedNode[] = [];
  idsAtNode.forEach((ids, i) => {
    const winner = ids.filter((id) => fields.get(id) !== undefined).at(-1);
    if (winner === undefined) return;
    const placedBy = fields.get(winner)!;
    for (const nodeId of ids) {
      const requested = fields.get(nodeId);
      if (requested === placedBy) continue;
      out.push({ nodeId, requested, withNodeId: winner, placedBy, worker: workerAt[i]! });
    }
  });
  return out;
}
