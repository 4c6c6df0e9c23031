import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getBezierPath } from '@xyflow/react';
import { memo } from 'react';
import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';
import { rateText } from './rateText.ts';

/** Colour of an edge by backpressure: queue fill (cross-worker queues) and drops. */
export function pressureClass(fill: number, drops: number): string {
  if (drops > 0 || fill >= 0.8) return 'bp-high';
  if (fill >= 0.4) return 'bp-mid';
  return 'bp-low';
}

/**
 * A pipeline edge with its live rate and queue fill from telemetry (≤ 10 Hz). Each edge selects
 * only its own numbers, so a report re-renders the labels that changed, never the graph.
 */
function LiveEdgeImpl(p: EdgeProps) {
  const { telemetryStore } = useStudio();
  const [path, lx, ly] = getBezierPath(p);
  const rate = useStore(telemetryStore, (s) => s.telemetry?.edges.get(p.id)?.eventsPerSec);
  const fill = useStore(telemetryStore, (s) => s.telemetry?.edges.get(p.id)?.queueFill ?? 0);
  const drops = useStore(telemetryStore, (s) => s.telemetry?.edges.get(p.id)?.drops ?? 0);
  const bp = rate === undefined ? '' : pressureClass(fill, drops);
  return (
    <>
      <BaseEdge
        id={p.id}
        path={path}
        className={bp}
        {...(p.markerEnd ? { markerEnd: p.markerEnd } : {})}
      />
      {rate !== undefined && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label ${bp}`}
            style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)` }}
            data-testid={`edge-rate-${p.id}`}
            data-pressure={bp.slice(3)}
            title={`${rate.toFixed(1)} events/s · queue ${(fill * 100).toFixed(0)}% · ${drops} dropped`}
          >
            {rateText(rate)}
            {fill > 0 && <span className="edge-fill">{(fill * 100).toFixed(0)}%</span>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const LiveEdge = memo(LiveEdgeImpl);
