import type { NodeTypes } from '@xyflow/react';
import { FeatureNode } from './FeatureNode.tsx';

/** Module-level constant: a new object per render would remount every node (React Flow rule). */
export const nodeTypes: NodeTypes = { feature: FeatureNode };
