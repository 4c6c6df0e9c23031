import type { PipelineDoc, PipelineEdge, PipelineNode } from '../../core/config/PipelineDoc.ts';
import { applyChange, type PipelineChange, type Transaction } from './changes.ts';

/**
 * Edits as pure functions of the current document: each returns the transaction to commit. Index
 * bookkeeping happens here (against the document as each change will see it) so the change
 * objects stay dumb and their inverses exact.
 */
export type Position = { readonly x: number; readonly y: number };

/** A readable id, unique in `doc`: `mid_price`, `mid_price_2`, … */
export function freshNodeId(
  doc: PipelineDoc,
  definition: string,
  taken = new Set<string>(),
): string {
  const base = definition.split('.').pop()!.replace(/_fd$/, '');
  const used = (id: string): boolean => taken.has(id) || doc.nodes.some((n) => n.id === id);
  if (!used(base)) return base;
  for (let i = 2; ; i++) if (!used(`${base}_${i}`)) return `${base}_${i}`;
}

/** Remove nodes and edges; edges touching a removed node go too. */
export function removeItems(
  doc: PipelineDoc,
  nodeIds: ReadonlySet<string>,
  edgeIds: ReadonlySet<string> = new Set(),
): Transaction {
  const tx: PipelineChange[] = [];
  let cur = doc;
  const push = (c: PipelineChange): void => {
    tx.push(c);
    cur = applyChange(cur, c);
  };
  for (const edge of doc.edges) {
    if (edgeIds.has(edge.id) || nodeIds.has(edge.source) || nodeIds.has(edge.target))
      push({ type: 'removeEdge', edge, index: cur.edges.indexOf(edge) });
  }
  for (const node of doc.nodes) {
    if (nodeIds.has(node.id)) push({ type: 'removeNode', node, index: cur.nodes.indexOf(node) });
  }
  return tx;
}

/** Add an edge from `source`'s output into `targetSlot` of `target`. */
export function connect(
  doc: PipelineDoc,
  source: string,
  target: string,
  targetSlot: string,
): Transaction {
  const taken = new Set(doc.edges.map((e) => e.id));
  let id = `${source}->${target}.${targetSlot}`;
  for (let i = 2; taken.has(id); i++) id = `${source}->${target}.${targetSlot}#${i}`;
  const edge: PipelineEdge = { id, source, target, targetSlot };
  return [{ type: 'addEdge', edge, index: doc.edges.length }];
}

/** Replace fields of a node (params, name, worker, position); undefined removes an optional field. */
export function updateNode(
  doc: PipelineDoc,
  id: string,
  patch: Partial<Omit<PipelineNode, 'id' | 'definition'>>,
): Transaction {
  const before = doc.nodes.find((n) => n.id === id);
  if (!before) return [];
  const after: Record<string, unknown> = { ...before, ...patch };
  for (const k of Object.keys(after)) if (after[k] === undefined) delete after[k];
  return [{ type: 'updateNode', before, after: after as unknown as PipelineNode }];
}

/** Set one param; an empty string removes it (back to the default). */
export function setParam(doc: PipelineDoc, id: string, param: string, value: unknown): Transaction {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) return [];
  const params: Record<string, unknown> = { ...node.params, [param]: value };
  if (value === '' || value === undefined) delete params[param];
  return updateNode(doc, id, { params });
}

/** Move nodes (one change per node that actually moved). */
export function moveNodes(doc: PipelineDoc, positions: ReadonlyMap<string, Position>): Transaction {
  const tx: PipelineChange[] = [];
  for (const before of doc.nodes) {
    const p = positions.get(before.id);
    if (!p) continue;
    const position = roundPosition(p);
    if (before.position?.x === position.x && before.position?.y === position.y) continue;
    tx.push({ type: 'updateNode', before, after: { ...before, position } });
  }
  return tx;
}

/** Rename the document. */
export function renameDoc(doc: PipelineDoc, name: string): Transaction {
  return name === doc.name ? [] : [{ type: 'renameDoc', before: doc.name, after: name }];
}

/** A position on whole pixels, as documents store it. */
export function roundPosition(p: Position): Position {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}
