import { memo } from 'react';
import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';
import { runtimeWorkerColor, workerColor } from '../workers.ts';

/**
 * The node's worker chip: while a run is on, the worker it actually runs on (`#index`, in that
 * worker's colour, as the Workers panel shows it); otherwise its placement (`worker` field).
 * Its own subscription, so placement changes never re-render the node card.
 */
function WorkerChipImpl({ nodeId, placement }: { nodeId: string; placement: string | undefined }) {
  const index = useStore(useStudio().runtimeStore, (s) => s.workerOf.get(nodeId));
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
