import type { EdgeTypes } from '@xyflow/react';
import { LiveEdge } from './LiveEdge.tsx';

/** Module-level constant, like nodeTypes (a new object per render remounts every edge). */
export const edgeTypes: EdgeTypes = { live: LiveEdge };
