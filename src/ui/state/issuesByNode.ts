import type { ConfigIssue } from '../../core/config/ConfigError.ts';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';

/**
 * Validation messages per node id (an edge's issue goes to its target), joined by newlines. A
 * Map: ids are user text, and a plain object would hand `constructor` or `toString` the
 * inherited function instead of "no issue".
 */
export function issuesByNode(
  doc: PipelineDoc,
  issues: readonly ConfigIssue[],
): ReadonlyMap<string, string> {
  const edgeTarget = new Map(doc.edges.map((e) => [e.id, e.target]));
  const byNode = new Map<string, string>();
  for (const i of issues) {
    const id = i.nodeId ?? (i.edgeId !== undefined ? edgeTarget.get(i.edgeId) : undefined);
    if (id === undefined) continue;
    const before = byNode.get(id);
    byNode.set(id, before ? `${before}\n${i.message}` : i.message);
  }
  return byNode;
}
