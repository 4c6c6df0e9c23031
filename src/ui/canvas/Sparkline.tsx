import { memo, useEffect, useRef } from 'react';
import { SPARK_HEIGHT, SPARK_POINTS } from './sparkPath.ts';
import { registerSparkline } from './sparklines.ts';

const viewBox = `0 0 ${SPARK_POINTS - 1} ${SPARK_HEIGHT}`;

/**
 * A node's recent values as one SVG line, written by {@link registerSparkline}'s shared timer
 * (never by React). Stretched to the value row; the stroke keeps its width at any aspect.
 */
function SparklineImpl({ nodeId }: { nodeId: string }) {
  const ref = useRef<SVGPathElement>(null);
  useEffect(() => registerSparkline(nodeId, ref.current!), [nodeId]);
  return (
    <svg
      className="sparkline"
      viewBox={viewBox}
      preserveAspectRatio="none"
      data-testid="sparkline"
      aria-hidden
    >
      <path ref={ref} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}

export const Sparkline = memo(SparklineImpl);
