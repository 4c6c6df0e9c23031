import { useStore as useFlowStore } from '@xyflow/react';
import { memo } from 'react';
import { formatEvent } from '../format.ts';
import { useValues } from '../hooks.ts';
import { Sparkline } from './Sparkline.tsx';
import { isFar } from './zoomDetail.ts';

/**
 * A node's latest value. Subscribes to its own entry of the values store (updated ≤ 10 Hz), so a
 * new value re-renders this line only — never the node card, never the graph. Zoomed out past
 * legibility it shows nothing and stops re-rendering: 200 unreadable values repainted 10×/s
 * were what still cost frames while panning a running graph.
 */
function NodeValueImpl({ nodeId, label }: { nodeId: string; label: string }) {
  const far = useFlowStore(isFar);
  const event = useValues((s) => (far ? undefined : s.values.get(nodeId)));
  const rate = useValues((s) => (far ? undefined : s.rates.get(nodeId)));
  return (
    <div className="fnode-value">
      <span className="value-text" data-testid={`node-value-${label}`}>
        {far ? '' : event ? formatEvent(event) : '—'}
      </span>
      {rate !== undefined && rate > 0 && <span className="value-rate">{rate.toFixed(0)}/s</span>}
      <Sparkline nodeId={nodeId} />
    </div>
  );
}

export const NodeValue = memo(NodeValueImpl);
