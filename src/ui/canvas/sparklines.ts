import { liveHub } from '../live/live.ts';
import { sparkPath, SPARK_POINTS } from './sparkPath.ts';

/** Sparklines update at most 10×/s, like the node values. */
export const SPARK_MS = 100;

interface Spark {
  readonly path: SVGPathElement;
  readonly values: Float64Array;
  n: number;
  last: number | undefined;
  /** How many of the latest samples equal `last`. */
  same: number;
  /** Bumped when `values` changed in a way the line shows. */
  version: number;
  /** The version the path shows. */
  drawn: number;
  /** On screen (IntersectionObserver), so worth drawing. */
  visible: boolean;
}

const sparks = new Map<string, Spark>();
const byPath = new WeakMap<Element, Spark>();
let timer: ReturnType<typeof setInterval> | undefined;
let observer: IntersectionObserver | undefined;
/** Off when the canvas is zoomed out too far to read a sparkline (the canvas hides them). */
let shown = true;
/** The viewport is being panned or zoomed: sample, but leave the DOM alone until it settles. */
let moving = false;

/**
 * Per-node sparklines, sampled by one shared 10 Hz timer outside React from the live hub's
 * latest scalar per node, each drawn as one SVG `<path>`. A path is rewritten only when its
 * values moved, its node is on screen, the canvas is zoomed in far enough to read it, and the
 * viewport is not moving — so a pan or a zoomed-out 200-node graph costs no sparkline work.
 *
 * Why SVG and not a `<canvas>` per node: Chromium gives every 2D canvas its own compositing
 * layer (plus a mask layer for the rounded clip around it); 200 of them made every pan frame
 * re-layerize ~370 layers (see the canvas bench and src/ui/CONTEXT.md).
 */
export function registerSparkline(nodeId: string, path: SVGPathElement): () => void {
  const s: Spark = {
    path,
    values: new Float64Array(SPARK_POINTS),
    n: 0,
    last: undefined,
    same: 0,
    version: 0,
    drawn: 0,
    visible: typeof IntersectionObserver === 'undefined',
  };
  sparks.set(nodeId, s);
  byPath.set(path, s);
  observer ??=
    typeof IntersectionObserver === 'undefined' ? undefined : new IntersectionObserver(onSeen);
  observer?.observe(path);
  timer ??= setInterval(tick, SPARK_MS);
  return () => {
    observer?.unobserve(path);
    if (sparks.get(nodeId) === s) sparks.delete(nodeId);
    if (sparks.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The canvas says whether sparklines are readable (zoom) and whether the viewport is moving. */
export function setSparklineView(view: { shown?: boolean; moving?: boolean }): void {
  if (view.shown !== undefined) shown = view.shown;
  if (view.moving !== undefined) moving = view.moving;
}

function onSeen(entries: IntersectionObserverEntry[]): void {
  for (const e of entries) {
    const s = byPath.get(e.target);
    if (s) s.visible = e.isIntersecting;
  }
}

function tick(): void {
  const draw = shown && !moving;
  for (const [id, s] of sparks) {
    sample(s, liveHub.scalars.get(id));
    if (draw && s.visible && s.drawn !== s.version) {
      s.drawn = s.version;
      const d = sparkPath(s.values, s.n);
      if (d) s.path.setAttribute('d', d);
      else s.path.removeAttribute('d');
    }
  }
}

function sample(s: Spark, v: number | undefined): void {
  if (v === undefined) {
    if (s.n > 0) {
      s.n = 0;
      s.last = undefined;
      s.same = 0;
      s.version++;
    }
    return;
  }
  if (s.n === SPARK_POINTS) s.values.copyWithin(0, 1);
  else s.n++;
  s.values[s.n - 1] = v;
  s.same = v === s.last ? s.same + 1 : 1;
  s.last = v;
  // A full window of one value is the same flat line as before: nothing to redraw.
  if (s.n === SPARK_POINTS && s.same >= s.n) return;
  s.version++;
}
