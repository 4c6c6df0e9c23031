import { liveHub } from '../live/live.ts';

/** Samples kept per sparkline (at {@link SPARK_MS}: the last ~12 s). */
const POINTS = 120;
/** Sparklines update at most 10×/s, like the node values. */
export const SPARK_MS = 100;

interface Spark {
  readonly canvas: HTMLCanvasElement;
  readonly values: Float64Array;
  n: number;
  last: number | undefined;
}

const sparks = new Map<string, Spark>();
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * Per-node sparklines drawn on small canvases by one 10 Hz timer, outside React: each tick
 * samples every visible node's latest scalar from the live hub and redraws only the canvases
 * whose value moved. One `<canvas>` per node, one path per draw — no SVG element per point.
 */
export function registerSparkline(nodeId: string, canvas: HTMLCanvasElement): () => void {
  sparks.set(nodeId, { canvas, values: new Float64Array(POINTS), n: 0, last: undefined });
  timer ??= setInterval(tick, SPARK_MS);
  return () => {
    if (sparks.get(nodeId)?.canvas === canvas) sparks.delete(nodeId);
    if (sparks.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function tick(): void {
  for (const [id, s] of sparks) {
    const v = liveHub.scalars.get(id);
    if (v === undefined) {
      if (s.n > 0) clear(s);
      continue;
    }
    if (s.n === POINTS) s.values.copyWithin(0, 1);
    else s.n++;
    s.values[s.n - 1] = v;
    if (v === s.last && s.n > 2) continue;
    s.last = v;
    draw(s);
  }
}

function clear(s: Spark): void {
  s.n = 0;
  s.last = undefined;
  s.canvas.getContext('2d')?.clearRect(0, 0, s.canvas.width, s.canvas.height);
}

function draw(s: Spark): void {
  const c = s.canvas;
  const ctx = c.getContext('2d');
  if (!ctx || s.n < 2) return;
  const dpr = devicePixelRatio;
  const w = Math.round(c.clientWidth * dpr);
  const h = Math.round(c.clientHeight * dpr);
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.n; i++) {
    lo = Math.min(lo, s.values[i]!);
    hi = Math.max(hi, s.values[i]!);
  }
  const span = hi - lo || 1;
  ctx.clearRect(0, 0, w, h);
  ctx.beginPath();
  for (let i = 0; i < s.n; i++) {
    const x = (i / (POINTS - 1)) * w;
    const y = h - dpr - ((s.values[i]! - lo) / span) * (h - 2 * dpr);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.strokeStyle = '#38bdf8';
  ctx.lineWidth = dpr;
  ctx.stroke();
}
