import type { PipelineDoc, PipelineEdge, PipelineNode } from '../../core/config/PipelineDoc.ts';

/**
 * One edit of a pipeline document. Every change carries what it needs to be undone (removals keep
 * the removed item and its index, updates keep the node before and after), so the inverse is a
 * pure function of the change alone — no snapshots of the whole document.
 */
export type PipelineChange =
  | { readonly type: 'addNode'; readonly node: PipelineNode; readonly index: number }
  | { readonly type: 'removeNode'; readonly node: PipelineNode; readonly index: number }
  | { readonly type: 'addEdge'; readonly edge: PipelineEdge; readonly index: number }
  | { readonly type: 'removeEdge'; readonly edge: PipelineEdge; readonly index: number }
  | { readonly type: 'updateNode'; readonly before: PipelineNode; readonly after: PipelineNode }
  | { readonly type: 'renameDoc'; readonly before: string; readonly after: string }
  /** Editor layout (panels, charts): saved with the document, never part of what runs. */
  | { readonly type: 'setLayout'; readonly before: PipelineLayout; readonly after: PipelineLayout };

type PipelineLayout = PipelineDoc['layout'];

/** A list of changes applied (and undone) as one step. */
export type Transaction = readonly PipelineChange[];

/** Apply one change. Untouched nodes and edges keep their identity (React Flow relies on it). */
export function applyChange(doc: PipelineDoc, c: PipelineChange): PipelineDoc {
  switch (c.type) {
    case 'addNode':
      return { ...doc, nodes: insertAt(doc.nodes, c.index, c.node) };
    case 'removeNode':
      return { ...doc, nodes: doc.nodes.filter((n) => n.id !== c.node.id) };
    case 'addEdge':
      return { ...doc, edges: insertAt(doc.edges, c.index, c.edge) };
    case 'removeEdge':
      return { ...doc, edges: doc.edges.filter((e) => e.id !== c.edge.id) };
    case 'updateNode':
      return { ...doc, nodes: doc.nodes.map((n) => (n.id === c.after.id ? c.after : n)) };
    case 'renameDoc':
      return { ...doc, name: c.after };
    case 'setLayout': {
      const { layout: _old, ...rest } = doc;
      return c.after === undefined ? rest : { ...rest, layout: c.after };
    }
  }
}

/** Apply a transaction's changes in order. */
export function applyTransaction(doc: PipelineDoc, tx: Transaction): PipelineDoc {
  return tx.reduce(applyChange, doc);
}

/** The change that undoes `c`. */
export function invertChange(c: PipelineChange): PipelineChange {
  switch (c.type) {
    case 'addNode':
      return { type: 'removeNode', node: c.node, index: c.index };
    case 'removeNode':
      return { type: 'addNode', node: c.node, index: c.index };
    case 'addEdge':
      return { type: 'removeEdge', edge: c.edge, index: c.index };
    case 'removeEdge':
      return { type: 'addEdge', edge: c.edge, index: c.index };
    case 'updateNode':
      return { type: 'updateNode', before: c.after, after: c.before };
    case 'renameDoc':
      return { type: 'renameDoc', before: c.after, after: c.before };
    case 'setLayout':
      return { type: 'setLayout', before: c.after, after: c.before };
  }
}

/** The transaction that undoes `tx`: inverted changes in reverse order. */
export function invertTransaction(tx: Transaction): Transaction {
  return [...tx].reverse().map(invertChange);
}

/**
 * Fold `next` into `prev` (same gesture, e.g. one drag): consecutive updates of a node collapse
 * into one that keeps the first `before` and the last `after`, so history stays small.
 */
export function mergeTransactions(prev: Transaction, next: Transaction): Transaction {
  const out = [...prev];
  for (const c of next) {
    const i = c.type === 'updateNode' ? lastTouching(out, c.after.id) : -1;
    const p = out[i];
    if (p?.type === 'updateNode' && c.type === 'updateNode')
      out[i] = { type: 'updateNode', before: p.before, after: c.after };
    else out.push(c);
  }
  return out;
}

/** Index of the last change that touches node `id` (merging past it would reorder effects). */
function lastTouching(tx: readonly PipelineChange[], id: string): number {
  for (let i = tx.length - 1; i >= 0; i--) {
    const c = tx[i]!;
    const nodeId = c.type === 'updateNode' ? c.after.id : 'node' in c ? c.node.id : undefined;
    if (nodeId === id) return i;
  }
  return -1;
}

function insertAt<T>(list: readonly T[], index: number, item: T): T[] {
  const out = [...list];
  out.splice(Math.max(0, Math.min(index, out.length)), 0, item);
  return out;
}
