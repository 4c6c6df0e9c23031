import type uPlot from 'uplot';
import type { FeedMarker } from '../../session/PipelineRunner.ts';

/** Series colours, in order (readable on the dark panel). */
export const PALETTE = ['#38bdf8', '#f59e0b', '#a78bfa', '#34d399', '#f472b6', '#f87171'];
const UP = '#34d399';
const DOWN = '#f87171';
const MARKER_COLOR: Record<FeedMarker['kind'], string> = {
  gap: '#f59e0b',
  reconnect: '#38bdf8',
  disconnect: '#f87171',
};

/**
 * Candles from four consecutive uPlot columns (open, high, low, close at `first`…`first + 3`),
 * drawn in the chart's `draw` hook; the columns themselves draw nothing (they only range y).
 */
export function drawCandles(u: uPlot, first: number): void {
  const [x, o, h, l, c] = [u.data[0], ...[0, 1, 2, 3].map((k) => u.data[first + k]!)];
  const scale = u.series[first]!.scale ?? 'y';
  const ctx = u.ctx;
  const n = x.length;
  if (n === 0) return;
  // Bar width from the typical spacing of bars on screen.
  const dx =
    n > 1 ? (u.valToPos(x[n - 1]!, 'x', true) - u.valToPos(x[0]!, 'x', true)) / (n - 1) : 8;
  const w = Math.max(1, Math.min(24, dx * 0.7));
  ctx.save();
  ctx.beginPath();
  ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
  ctx.clip();
  for (let i = 0; i < n; i++) {
    const [ov, hv, lv, cv] = [o![i], h![i], l![i], c![i]];
    if (typeof ov !== 'number' || typeof hv !== 'number') continue;
    if (typeof lv !== 'number' || typeof cv !== 'number') continue;
    const px = u.valToPos(x[i]!, 'x', true);
    const [po, ph, pl, pc] = [ov, hv, lv, cv].map((v) => u.valToPos(v, scale, true)) as number[];
    ctx.fillStyle = ctx.strokeStyle = cv >= ov ? UP : DOWN;
    ctx.fillRect(Math.round(px) - 0.5, ph!, 1, pl! - ph!);
    ctx.fillRect(px - w / 2, Math.min(po!, pc!), w, Math.max(1, Math.abs(pc! - po!)));
  }
  ctx.restore();
}

/** Feed markers as dashed verticals with a small tag (gap, reconnect, disconnect). */
export function drawMarkers(u: uPlot, markers: readonly FeedMarker[]): void {
  const { left, top, width, height } = u.bbox;
  const ctx = u.ctx;
  const min = u.scales.x?.min ?? -Infinity;
  const max = u.scales.x?.max ?? Infinity;
  ctx.save();
  ctx.font = `${10 * devicePixelRatio}px Inter, system-ui, sans-serif`;
  for (const m of markers) {
    if (m.ts < min || m.ts > max) continue;
    const px = Math.round(u.valToPos(m.ts, 'x', true));
    if (px < left || px > left + width) continue;
    ctx.strokeStyle = ctx.fillStyle = MARKER_COLOR[m.kind];
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.lineWidth = devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(px + 0.5, top);
    ctx.lineTo(px + 0.5, top + height);
    ctx.stroke();
    ctx.fillText(m.kind, px + 4 * devicePixelRatio, top + 11 * devicePixelRatio);
  }
  ctx.restore();
}

/**
 * Drag to pan and wheel to zoom the time axis; both call `onUser` (the chart stops following
 * live). Returns a cleanup.
 */
export function attachPanZoom(u: uPlot, onUser: () => void): () => void {
  const over = u.over;
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const { min, max } = u.scales.x ?? {};
    if (typeof min !== 'number' || typeof max !== 'number') return;
    const at = u.posToVal(e.offsetX, 'x');
    const k = e.deltaY < 0 ? 0.8 : 1.25;
    onUser();
    u.setScale('x', { min: at - (at - min) * k, max: at + (max - at) * k });
  };
  const onDown = (e: MouseEvent) => {
    if (e.button !== 0) return;
    const { min, max } = u.scales.x ?? {};
    if (typeof min !== 'number' || typeof max !== 'number') return;
    const x0 = e.clientX;
    const perPx = (max - min) / Math.max(1, u.bbox.width / devicePixelRatio);
    const move = (ev: MouseEvent) => {
      const d = (ev.clientX - x0) * perPx;
      if (d !== 0) onUser();
      u.setScale('x', { min: min - d, max: max - d });
    };
    const up = () => {
      removeEventListener('mousemove', move);
      removeEventListener('mouseup', up);
    };
    addEventListener('mousemove', move);
    addEventListener('mouseup', up);
  };
  over.addEventListener('wheel', onWheel, { passive: false });
  over.addEventListener('mousedown', onDown);
  return () => {
    over.removeEventListener('wheel', onWheel);
    over.removeEventListener('mousedown', onDown);
  };
}
