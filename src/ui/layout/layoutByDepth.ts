import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';

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
