import type { LiveHub } from '../live/LiveHub.ts';
import { SparkHistory } from './SparkHistory.ts';
import { sparkPath } from './sparkPath.ts';

/** Sparklines update at most 10×/s, like the node values. */
export const SPARK_MS = 100;

interface View {
  readonly nodeId: string;
  readonly path: SVGPathElement;
  /** The history (and its version) the path shows; `undefined`: an empty path. */
  drawnOf: SparkHistory | undefined;
  drawn: number;
  /** On screen (IntersectionObserver), so worth drawing. */
  visible: boolean;
}

/** One studio's sparklines (see {@link createSparklines}). */
export interface Sparklines {
  /** Draw `nodeId`'s sparkline into `path` until the returned remover is called. */
  register(nodeId: string, path: SVGPathElement): () => void;
  /** The canvas says whether sparklines are readable (zoom) and whether the viewport is moving. */
  setView(view: { shown?: boolean; moving?: boolean }): void;
}

/** The sparklines fed by `liveHub` (one set per studio). */
export function createSparklines(liveHub: LiveHub): Sparklines {
  /** Per node with a value; outlives its node's mount (React Flow unmounts off-screen nodes). */
  const histories = new Map<string, SparkHistory>();
  const views = new Map<string, View>();
  const byPath = new WeakMap<Element, View>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let observer: IntersectionObserver | undefined;
  /** Off when the canvas is zoomed out too far to read a sparkline (the canvas hides them). */
  let shown = true;
  /** The viewport is being panned or zoomed: sample, but leave the DOM alone until it settles. */
  let moving = false;

  /**
   * Per-node sparklines: one shared 10 Hz timer, outside React, samples the live hub's latest
   * scalar of every node into its {@link SparkHistory} and rewrites a node's SVG `<path>` only when
   * its line changed, the node is mounted and on screen, the canvas is zoomed in far enough to read
   * it, and the viewport is not moving — a pan or a zoomed-out 200-node graph costs no sparkline
   * DOM work.
   *
   * Why SVG and not a `<canvas>` per node: Chromium gives every 2D canvas its own compositing
   * layer (plus a mask layer for the rounded clip around it); 200 of them made every pan frame
   * re-layerize ~370 layers (see "Canvas smoothness" in src/ui/CONTEXT.md).
   */
  function registerSparkline(nodeId: string, path: SVGPathElement): () => void {
    const view: View = {
      nodeId,
      path,
      drawnOf: undefined,
      drawn: 0,
      visible: typeof IntersectionObserver === 'undefined',
    };
    views.set(nodeId, view);
    byPath.set(path, view);
    observer ??=
      typeof IntersectionObserver === 'undefined' ? undefined : new IntersectionObserver(onSeen);
    observer?.observe(path);
    timer ??= setInterval(tick, SPARK_MS);
    return () => {
      observer?.unobserve(path);
      if (views.get(nodeId) === view) views.delete(nodeId);
      if (views.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }

  /** The canvas says whether sparklines are readable (zoom) and whether the viewport is moving. */
  function setSparklineView(view: { shown?: boolean; moving?: boolean }): void {
    if (view.shown !== undefined) shown = view.shown;
    if (view.moving !== undefined) moving = view.moving;
  }

  function onSeen(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) {
      const v = byPath.get(e.target);
      if (v) v.visible = e.isIntersecting;
    }
  }

  function tick(): void {
    for (const [id, v] of liveHub.scalars) {
      let h = histories.get(id);
      if (!h) histories.set(id, (h = new SparkHistory()));
      h.sample(v);
    }
    for (const [id, h] of histories)
      if (!liveHub.scalars.has(id)) {
        h.sample(undefined);
        histories.delete(id);
      }
    if (!shown || moving) return;
    for (const view of views.values()) {
      if (!view.visible) continue;
      const h = histories.get(view.nodeId);
      if (view.drawnOf === h && (!h || view.drawn === h.version)) continue;
      view.drawnOf = h;
      view.drawn = h?.version ?? 0;
      const d = h ? sparkPath(h.values, h.n) : '';
      if (d) view.path.setAttribute('d', d);
      else view.path.removeAttribute('d');
    }
  }

  return { register: registerSparkline, setView: setSparklineView };
}
