import type { PipelineDoc } from './PipelineDoc.ts';

/**
 * A document's output nodes in document order: named nodes, and nodes nothing reads from (the
 * rule `featuresFromPipeline` applies). `name` is the node's name, else its id.
 */
export function outputNodes(doc: PipelineDoc): { id: string; name: string }[] {
  const read = new Set(doc.edges.map((e) => e.source));
  return doc.nodes
    .filter((n) => n.name !== undefined || !read.has(n.id))
    .map((n) => ({ id: n.id, name: n.name ?? n.id }));
}
