import { memo, useContext } from 'react';
import { useStore } from 'zustand';
import { EventText } from '../EventText.tsx';
import { usePipeline, useValues } from '../hooks.ts';
import { unitsOf } from '../units.ts';
import { useStudio } from '../StudioProvider.tsx';
import { rateText } from './rateText.ts';
import { Sparkline } from './Sparkline.tsx';
import { useSourceHealth } from './useSourceHealth.ts';
import { FarContext } from './zoomDetail.ts';

/**
 * A node's latest value. Subscribes to its own entry of the values store (updated ≤ 10 Hz), so a
 * new value re-renders this line only — never the node card, never the graph. Zoomed out past
 * legibility it shows nothing and stops re-rendering: 200 unreadable values repainted 10×/s
 * were what still cost frames while panning a running graph. While its source is not live the
 * value is dimmed and its rate hidden: an old value must not read as a live one.
 */
function NodeValueImpl({ nodeId, label }: { nodeId: string; label: string }) {
  const far = useContext(FarContext);
  const event = useValues((s) => (far ? undefined : s.values.get(nodeId)));
  // The runner's count of the node's outputs (what its output edges show too); the delivered
  // count only where no runner counts (a replay): workers thin what they deliver to the page.
  const measured = useStore(useStudio().telemetryStore, (s) =>
    far ? undefined : s.telemetry?.nodes.get(nodeId)?.eventsPerSec,
  );
  const delivered = useValues((s) => (far ? undefined : s.rates.get(nodeId)));
  const units = usePipeline((s) => unitsOf(s.doc).get(nodeId));
  const rate = measured ?? delivered;
  // A value whose source is not live is old: dimmed, and its tooltip says why.
  const source = useSourceHealth(nodeId);
  const old = source !== undefined && source.state !== 'live';
  return (
    <div
      className={`fnode-value${old ? ' is-old' : ''}`}
      title={old ? `Last value before the source went ${source.state}` : undefined}
    >
      <span className="value-text" data-testid={`node-value-${label}`} data-source={source?.state}>
        {far ? '' : event ? <EventText event={event} units={units} /> : '—'}
      </span>
      {!old && rate !== undefined && rate > 0 && (
        <span
          className="value-rate"
          data-testid={`node-rate-${label}`}
          title="events/s over the last second"
        >
          {rateText(rate)}
        </span>
      )}
      <Sparkline nodeId={nodeId} />
    </div>
  );
}

export const NodeValue = memo(NodeValueImpl);
