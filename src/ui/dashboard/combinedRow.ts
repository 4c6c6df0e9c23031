import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';

/** Output nodes in document order: named nodes, and nodes nothing reads from (PipelineDoc rule). */
export function outputNodes(doc: PipelineDoc): { id: string; name: string }[] {
  const read = new Set(doc.edges.map((e) => e.source));
  return doc.nodes
    .filter((n) => n.name !== undefined || !read.has(n.id))
    .map((n) => ({ id: n.id, name: n.name ?? n.id }));
}

/**
 * The combined output's latest row (FeatureStreamGraph's GroupedNamedDataEvent): the latest
 * event of every output, or undefined until every output has emitted once.
 */
export function combinedRow(
  outputs: readonly { id: string; name: string }[],
  values: ReadonlyMap<string, Event>,
): [string, Event][] | undefined {
  if (outputs.length === 0 || outputs.some((o) => !values.has(o.id))) return undefined;
  return outputs.map((o) => [o.name, values.get(o.id)!]);
}
