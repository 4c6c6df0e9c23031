import { memo } from 'react';
import { formatEvent } from '../format.ts';
import { useValues } from '../hooks.ts';
import { Sparkline } from './Sparkline.tsx';

/**
 * A node's latest value. Subscribes to its own entry of the values store (updated ≤ 10 Hz), so a
 * new value re-renders this line only — never the node card, never the graph.
 */
function NodeValueImpl({ nodeId, label }: { nodeId: string; label: string }) {
  const event = useValues((s) => s.values[nodeId]);
  const rate = useValues((s) => s.rates[nodeId]);
  return (
    <div className="fnode-value">
      <span className="value-text" data-testid={`node-value-${label}`}>
        {event ? formatEvent(event) : '—'}
      </span>
      {rate !== undefined && rate > 0 && <span className="value-rate">{rate.toFixed(0)}/s</span>}
      <Sparkline nodeId={nodeId} />
    </div>
  );
}

export const NodeValue = memo(NodeValueImpl);
