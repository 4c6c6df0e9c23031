import { memo } from 'react';
import { chartNode, NODE_MIME } from '../dashboard/chartActions.ts';
import { useStudio } from '../StudioProvider.tsx';

/**
 * The node's "Chart" control: click charts the node in a new chart; drag it onto the dashboard
 * (or onto a chart, to add a series). `nodrag` keeps React Flow from moving the node instead.
 */
function ChartButtonImpl({ nodeId, label }: { nodeId: string; label: string }) {
  const studio = useStudio();
  return (
    <button
      className="fnode-chart nodrag"
      title="Chart this output (or drag onto the dashboard / a chart)"
      aria-label={`Chart ${label}`}
      data-testid={`chart-node-${label}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(NODE_MIME, nodeId);
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onClick={(e) => {
        e.stopPropagation();
        chartNode(studio, nodeId);
      }}
    >
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden>
        <path
          d="M1 13h14M2 10l3.5-4 3 2.5L14 3"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        />
      </svg>
      Chart
    </button>
  );
}

export const ChartButton = memo(ChartButtonImpl);
