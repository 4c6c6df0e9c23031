import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Position } from '../state/commands.ts';

type Size = { readonly width: number; readonly height: number };

let elk: InstanceType<typeof ELK> | undefined;

/**
 * Tidy positions from ELK's layered algorithm, computed in ELK's web worker so a big graph never
 * blocks the canvas. Relative order is kept: nodes are handed over sorted by where they are now
 * and ELK is told to respect that order, so "tidy" straightens the drawing instead of shuffling
 * it; the result is anchored at the old top-left corner so the view does not jump.
 */
export async function autoLayout(
  doc: PipelineDoc,
  sizes: ReadonlyMap<string, Size>,
): Promise<Map<string, Position>> {
  elk ??= new ELK({ workerUrl: elkWorkerUrl });
  const pos = (id: string): Position =>
    doc.nodes.find((n) => n.id === id)?.position ?? { x: 0, y: 0 };
  const ordered = [...doc.nodes].sort(
    (a, b) => pos(a.id).y - pos(b.id).y || pos(a.id).x - pos(b.id).x,
  );
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '36',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
    },
    children: ordered.map((n) => ({
      id: n.id,
      width: sizes.get(n.id)?.width ?? 220,
      height: sizes.get(n.id)?.height ?? 120,
    })),
    edges: doc.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out = new Map<string, Position>();
  if (doc.nodes.length === 0) return out;
  const minOld = corner(doc.nodes.map((n) => n.position ?? { x: 0, y: 0 }));
  const laid = (result.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0 }));
  const minNew = corner(laid);
  for (const c of laid)
    out.set(c.id, { x: c.x - minNew.x + minOld.x, y: c.y - minNew.y + minOld.y });
  return out;
}

function corner(ps: readonly Position[]): Position {
  return {
    x: Math.min(...ps.map((p) => p.x)),
    y: Math.min(...ps.map((p) => p.y)),
  };
}

/**
 * Positions for documents that arrive without any (imported configs): columns by depth, rows in
 * document order. Synchronous so an import shows a sensible graph immediately.
 */
export function layoutByDepth(doc: PipelineDoc): PipelineDoc {
  if (doc.nodes.every((n) => n.position)) return doc;
  const depth = new Map<string, number>();
  const of = (id: string, seen = new Set<string>()): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const ins = doc.edges.filter((e) => e.target === id);
    const d = ins.length === 0 ? 0 : 1 + Math.max(...ins.map((e) => of(e.source, seen)));
    depth.set(id, d);
    return d;
  };
  const rows = new Map<number, number>();
  const nodes = doc.nodes.map((n) => {
    const d = of(n.id);
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    return { ...n, position: { x: d * 300, y: row * 170 } };
  });
  return { ...doc, nodes };
}
