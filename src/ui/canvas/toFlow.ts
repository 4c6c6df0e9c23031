import type { Edge, Node } from '@xyflow/react';
import type { PipelineEdge, PipelineNode } from '../../core/config/PipelineDoc.ts';

/** A canvas node: the document node it shows (never live values: those live in valuesStore). */
export type StudioNode = Node<{ node: PipelineNode }, 'feature'>;
export type Measured = { readonly width: number; readonly height: number };

const nodeCache = new WeakMap<
  PipelineNode,
  { selected: boolean; measured?: Measured; rf: StudioNode }
>();
const edgeCache = new WeakMap<PipelineEdge, { selected: boolean; slot?: string; rf: Edge }>();

/**
 * Document nodes → React Flow nodes, reusing the previous object whenever the document node,
 * its selection and its measured size are unchanged: React Flow re-adopts (and re-renders) only
 * nodes whose object identity changed, so a drag touches only the dragged nodes.
 */
export function toFlowNodes(
  nodes: readonly PipelineNode[],
  selected: ReadonlySet<string>,
  measured: ReadonlyMap<string, Measured>,
): StudioNode[] {
  return nodes.map((node) => {
    const sel = selected.has(node.id);
    const m = measured.get(node.id);
    const hit = nodeCache.get(node);
    if (hit && hit.selected === sel && hit.measured === m) return hit.rf;
    const rf: StudioNode = {
      id: node.id,
      type: 'feature',
      position: node.position ?? { x: 0, y: 0 },
      data: { node },
      selected: sel,
      ...(m ? { measured: m } : {}),
    };
    nodeCache.set(node, { selected: sel, ...(m ? { measured: m } : {}), rf });
    return rf;
  });
}

/** Document edges → React Flow edges (target handle = the input slot the edge feeds). */
export function toFlowEdges(
  edges: readonly PipelineEdge[],
  slots: ReadonlyMap<string, string>,
  selected: ReadonlySet<string>,
): Edge[] {
  return edges.map((edge) => {
    const sel = selected.has(edge.id);
    const slot = slots.get(edge.id);
    const hit = edgeCache.get(edge);
    if (hit && hit.selected === sel && hit.slot === slot) return hit.rf;
    const rf: Edge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: 'live',
      sourceHandle: 'out',
      ...(slot ? { targetHandle: slot } : {}),
      selected: sel,
    };
    edgeCache.set(edge, { selected: sel, ...(slot ? { slot } : {}), rf });
    return rf;
  });
}
