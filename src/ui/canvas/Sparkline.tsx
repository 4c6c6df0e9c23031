import { memo, useEffect, useRef } from 'react';
import { SPARK_HEIGHT, SPARK_POINTS } from './sparkPath.ts';
import { useStudio } from '../StudioProvider.tsx';

const viewBox = `0 0 ${SPARK_POINTS - 1} ${SPARK_HEIGHT}`;

/**
 * A node's recent values as one SVG line, written by the studio's sparklines' shared timer
 * (never by React). Stretched to the value row; the stroke keeps its width at any aspect.
 */
function SparklineImpl({ nodeId }: { nodeId: string }) {
  const { sparklines } = useStudio();
  const ref = useRef<SVGPathElement>(null);
  useEffect(() => sparklines.register(nodeId, ref.current!), [sparklines, nodeId]);
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
