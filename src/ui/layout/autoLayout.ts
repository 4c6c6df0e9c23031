import type ELK from 'elkjs/lib/elk-api.js';
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
  // ELK's client loads with the first layout, not with the page (issue #14).
  elk ??= new (await import('elkjs/lib/elk-api.js')).default({ workerUrl: elkWorkerUrl });
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
