import { usePipeline, useStudio } from '../hooks.ts';
import { outputKindOf } from './chartActions.ts';
import { feedsOf } from './feedsOf.ts';

/** What a chart needs to know about its nodes (labels, kinds, upstream feeds). */
export interface ChartNodesInfo {
  readonly nodes: readonly { nodeId: string; label: string; kind: string }[];
  readonly feeds: readonly { exchange: string; symbol: string }[];
}

/**
 * The chart's nodes as a JSON string selected from the document, so a chart re-renders only
 * when a label, kind or feed of its own nodes changes — not on every drag of the canvas.
 */
export function useChartNodes(nodeIds: readonly string[]): string {
  const studio = useStudio();
  return usePipeline((s) => {
    const byId = new Map(s.doc.nodes.map((n) => [n.id, n]));
    const info: ChartNodesInfo = {
      nodes: nodeIds
        .filter((id) => byId.has(id))
        .map((id) => ({
          nodeId: id,
          label: byId.get(id)!.name ?? id,
          kind: outputKindOf(studio, id) ?? 'scalar',
        })),
      feeds: feedsOf(s.doc, nodeIds),
    };
    return JSON.stringify(info);
  });
}
