import type { PipelineDoc, PipelineEdge, PipelineNode } from '../../core/config/PipelineDoc.ts';
import { findDefinition } from '../../core/definitions/registry.ts';
import type { PipelineChange, Transaction } from './changes.ts';
import { freshNodeId, type Position } from './commands.ts';

/**
 * Copy/paste and duplicate work on fragments: a pipeline document holding the copied nodes and
 * the edges between them. Being a full PipelineDoc, a fragment on the clipboard is also a
 * pipeline other tabs (and other tools) can read.
 */
export function fragmentOf(doc: PipelineDoc, nodeIds: ReadonlySet<string>): PipelineDoc {
  return {
    version: 1,
    name: `${doc.name} (selection)`,
    nodes: doc.nodes.filter((n) => nodeIds.has(n.id)),
    edges: doc.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target)),
  };
}

/**
 * Read clipboard text as a fragment: a version-1 document whose nodes use known definitions.
 * Inputs may be missing (a copied subgraph need not be complete); anything else is rejected.
 */
export function parseFragment(text: string): PipelineDoc | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const doc = v as Partial<PipelineDoc>;
  if (doc.version !== 1 || !Array.isArray(doc.nodes) || !Array.isArray(doc.edges)) return undefined;
  const ok = doc.nodes.every(
    (n) =>
      typeof n?.id === 'string' &&
      typeof n.definition === 'string' &&
      findDefinition(n.definition) !== undefined,
  );
  return ok ? (doc as PipelineDoc) : undefined;
}

/**
 * Add a fragment's nodes with fresh ids (and names made unique), shifted by `offset`, plus its
 * internal edges. Returns the new node ids so the caller can select them.
 */
export function pasteFragment(
  doc: PipelineDoc,
  fragment: PipelineDoc,
  offset: Position,
): { tx: Transaction; ids: string[] } {
  const idMap = new Map<string, string>();
  const takenIds = new Set<string>();
  const takenNames = new Set(doc.nodes.flatMap((n) => (n.name ? [n.name] : [])));
  const tx: PipelineChange[] = [];
  let index = doc.nodes.length;
  for (const n of fragment.nodes) {
    const id = freshNodeId(doc, n.definition, takenIds);
    takenIds.add(id);
    idMap.set(n.id, id);
    const node: Record<string, unknown> = { ...n, id, params: { ...n.params } };
    if (n.name) node.name = uniqueName(n.name, takenNames);
    else delete node.name;
    const p = n.position ?? { x: 0, y: 0 };
    node.position = { x: Math.round(p.x + offset.x), y: Math.round(p.y + offset.y) };
    tx.push({ type: 'addNode', node: node as unknown as PipelineNode, index: index++ });
  }
  let edgeIndex = doc.edges.length;
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  for (const e of fragment.edges) {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) continue;
    let id = `${source}->${target}${e.targetSlot ? `.${e.targetSlot}` : ''}`;
    for (let i = 2; edgeIds.has(id); i++) id = `${source}->${target}#${i}`;
    edgeIds.add(id);
    const edge: PipelineEdge = { ...e, id, source, target };
    tx.push({ type: 'addEdge', edge, index: edgeIndex++ });
  }
  return { tx, ids: [...idMap.values()] };
}

function uniqueName(name: string, taken: Set<string>): string {
  let out = name;
  for (let i = 2; taken.has(out); i++) out = `${name}_${i}`;
  taken.add(out);
  return out;
}
