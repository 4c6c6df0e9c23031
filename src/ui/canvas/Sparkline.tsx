import { memo, useEffect, useRef } from 'react';
import { registerSparkline } from './sparklines.ts';

/** A node's recent values as a small canvas line (drawn by {@link registerSparkline}'s timer). */
function SparklineImpl({ nodeId }: { nodeId: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => registerSparkline(nodeId, ref.current!), [nodeId]);
  return <canvas className="sparkline" ref={ref} data-testid="sparkline" aria-hidden />;
}

export const Sparkline = memo(SparklineImpl);
