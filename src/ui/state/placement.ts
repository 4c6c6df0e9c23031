import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';

/** A box on the canvas, in flow coordinates. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A node card's size before React Flow has measured it (a typical feature card, rounded up). */
export const DEFAULT_NODE_SIZE = { width: 230, height: 140 } as const;
/** Space kept between a placed node and its neighbours. */
export const GAP = 24;

/** Every node's box: measured sizes where known, {@link DEFAULT_NODE_SIZE} otherwise. */
export function nodeRects(
  doc: PipelineDoc,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Rect[] {
  return doc.nodes.map((n) => {
    const s = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
    const p = n.position ?? { x: 0, y: 0 };
    return { x: p.x, y: p.y, width: s.width, height: s.height };
  });
}

/** Whether two boxes come closer than `gap`. */
export function overlaps(a: Rect, b: Rect, gap = GAP): boolean {
  return (
    a.x < b.x + b.width + gap &&
    b.x < a.x + a.width + gap &&
    a.y < b.y + b.height + gap &&
    b.y < a.y + a.height + gap
  );
}

/**
 * Where to put a box of `size` wanted at `want` (top-left) so it overlaps none of `taken`: `want`
 * itself when free, else the free spot of a grid around it (one card plus a gap per step) nearest
 * to `want`. Deterministic: the same document places the same way.
 */
export function freeSpot(
  want: { x: number; y: number },
  size: { width: number; height: number },
  taken: readonly Rect[],
): { x: number; y: number } {
  const free = (p: { x: number; y: number }) => !taken.some((r) => overlaps({ ...p, ...size }, r));
  if (free(want)) return want;
  const dx = size.width + GAP;
  const dy = size.height + GAP;
  for (let ring = 1; ring <= 50; ring++) {
    let best: { x: number; y: number } | undefined;
    let bestD = Infinity;
    for (let i = -ring; i <= ring; i++)
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        const p = { x: want.x + i * dx, y: want.y + j * dy };
        const d = Math.hypot(i * dx, j * dy);
        if (d < bestD && free(p)) {
          best = p;
          bestD = d;
        }
      }
    if (best) return best;
  }
  // 50 rings are all full (thousands of nodes): below everything.
  const bottom = Math.max(...taken.map((r) => r.y + r.height));
  return { x: want.x, y: bottom + GAP };
}

/**
 * The shift that moves a pasted fragment (its boxes `frag`) clear of every box in `taken`: down
 * by the fragment's height plus a gap, repeated until nothing overlaps (so pasting twice stacks
 * the copies below each other, never on their originals).
 */
export function pasteOffset(
  frag: readonly Rect[],
  taken: readonly Rect[],
): { x: number; y: number } {
  if (frag.length === 0) return { x: 0, y: 0 };
  const top = Math.min(...frag.map((r) => r.y));
  const bottom = Math.max(...frag.map((r) => r.y + r.height));
  const step = bottom - top + GAP;
  const dx = GAP * 2; // a small sideways step, so a copy reads as a copy
  for (let k = 1; k < 1000; k++) {
    const off = { x: dx, y: step * k };
    const moved = frag.map((r) => ({ ...r, x: r.x + off.x, y: r.y + off.y }));
    if (!moved.some((m) => taken.some((t) => overlaps(m, t)))) return off;
  }
  return { x: dx, y: step * 1000 };
}
