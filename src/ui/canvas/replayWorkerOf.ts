import type { ReplayState } from '../../session/replayState.ts';

/** Each replay worker list's node id → worker index, built once per list (the state's identity). */
const indexes = new WeakMap<readonly unknown[], ReadonlyMap<string, number>>();

/**
 * The worker a node runs on in a worker replay (the plan's worker index, as the Workers tab and
 * the moved-source note show it), or undefined when no worker replay is on or the node is not in
 * it. What the node chips show during a replay, as `RuntimeView.workerOf` is during a live run:
 * not the placement (`w1`), which one feed, one worker may have overridden.
 */
export function replayWorkerOf(
  state: Pick<ReplayState, 'workers'>,
  nodeId: string,
): number | undefined {
  const workers = state.workers;
  if (workers === undefined) return undefined;
  let index = indexes.get(workers);
  if (index === undefined) {
    index = new Map(workers.flatMap((w) => w.nodeIds.map((id) => [id, w.index] as const)));
    indexes.set(workers, index);
  }
  return index.get(nodeId);
}
