import { memo } from 'react';
import { useStore } from 'zustand';
import { replayWorkerOf } from './replayWorkerOf.ts';
import { useStudio } from '../StudioProvider.tsx';
import { runtimeWorkerColor, workerColor } from '../workers.ts';

/**
 * The node's worker chip: while a run or a worker replay is on, the worker it actually runs on
 * (`#index`, in that worker's colour, as the Workers panel and the moved-source note show it);
 * otherwise its placement (`worker` field, which the inspector edits). Its own subscriptions, so
 * placement changes never re-render the node card.
 */
function WorkerChipImpl({ nodeId, placement }: { nodeId: string; placement: string | undefined }) {
  const { runtimeStore, replayStore } = useStudio();
  const live = useStore(runtimeStore, (s) => s.workerOf.get(nodeId));
  // A worker replay sends no telemetry: its state lists the plan's workers and their nodes.
  const replay = useStore(replayStore, (s) => replayWorkerOf(s, nodeId));
  const index = live ?? replay;
  const running = index !== undefined;
  const colour = running ? runtimeWorkerColor(index) : workerColor(placement);
  const where = placement ?? 'auto';
  return (
    <span
      className="fnode-worker"
      data-testid={`node-worker-${nodeId}`}
      style={{ borderColor: colour, color: colour }}
      title={
        running
          ? `Runs on worker #${index} (placement: ${where})`
          : `Placement: ${where === 'auto' ? 'main / by source' : where}`
      }
    >
      {running ? `#${index}` : (placement ?? 'main')}
    </span>
  );
}

export const WorkerChip = memo(WorkerChipImpl);
