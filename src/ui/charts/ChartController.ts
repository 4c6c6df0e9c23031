import uPlot from 'uplot';
import type { LiveHub } from '../live/LiveHub.ts';
import type { FeedMarker } from '../run/PipelineRunner.ts';
import { attachPanZoom, drawCandles, drawMarkers, PALETTE } from './chartDraw.ts';
import { type Aligned, mergeSeries } from './mergeSeries.ts';
import type { RingView } from './SeriesRing.ts';

/** One node plotted on a chart. */
export interface ChartNode {
  readonly nodeId: string;
  readonly label: string;
  /** OHLCV bars draw as candles (their open/high/low/close columns). */
  readonly candles: boolean;
}

export interface ChartOptions {
  readonly nodes: readonly ChartNode[];
  /** Seconds of history in view while following live. */
  readonly windowSec: number;
  /** Which feed markers concern this chart (its nodes' upstream feeds). */
  readonly markerFilter: (m: FeedMarker) => boolean;
  /** The chart stopped (false) or resumed (true) following live, e.g. after a pan. */
  readonly onFollow: (follow: boolean) => void;
  /** Legend entries, refreshed ≤ 10×/s: colour, label, latest value. */
  readonly onLegend: (rows: readonly LegendRow[]) => void;
}

export interface LegendRow {
  readonly color: string;
  readonly label: string;
  readonly value: number | undefined;
}

const AXIS = {
  stroke: '#8b96a8',
  grid: { stroke: '#1d2636', width: 1 },
  ticks: { stroke: '#222c3d' },
};
const LEGEND_MS = 100;
/** Room for the widest tick label (prices like 64,000.25 need more than uPlot's default). */
const axisSize = (u: uPlot, values: string[] | null): number =>
  values ? Math.max(40, ...values.map((v) => v.length * 7 + 16)) : 40;
const MAX_FIELDS = 3;

/**
 * Owns one uPlot outside React (codebase-style §4): the frame loop calls {@link frame}, which
 * applies the newest data at most once per animation frame and only when a series it shows
 * changed. Pause freezes data and x-range; panning or zooming stops following live; `follow()`
 * resumes both.
 */
export class ChartController {
  private u: uPlot | undefined;
  private shape = '';
  private seen = -1;
  private paused = false;
  private following = true;
  private legendAt = 0;
  private aligned: Aligned | undefined;
  private markers: FeedMarker[] = [];
  private legendCols: { col: number; color: string; label: string }[] = [];
  private detachPanZoom: (() => void) | undefined;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly el: HTMLElement,
    private readonly hub: LiveHub,
    private o: ChartOptions,
  ) {
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(el);
  }

  update(o: ChartOptions): void {
    this.o = o;
    this.seen = -1;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.el.dataset.paused = String(paused);
  }

  /** Back to live: unpause, follow the newest data. */
  follow(): void {
    this.setPaused(false);
    this.following = true;
    this.seen = -1;
    this.o.onFollow(true);
  }

  frame(now: number): void {
    if (this.paused) return;
    const rings = this.o.nodes.map((n) => this.hub.ring(n.nodeId));
    const version =
      rings.reduce((v, r) => v + (r?.version ?? 0), 0) + this.hub.markersVersion * 1e9;
    if (version === this.seen) return;
    this.seen = version;
    const shape = this.o.nodes
      .map((n, i) => `${n.nodeId}:${rings[i]?.fields.join(',') ?? ''}`)
      .join('|');
    if (shape !== this.shape || !this.u) this.build(shape);
    const views: RingView[] = rings.map((r, i) =>
      this.pick(r?.view(this.following ? this.o.windowSec : Infinity), i),
    );
    const data =
      views.length === 1
        ? ([views[0]!.t, ...views[0]!.cols] as uPlot.AlignedData)
        : (this.aligned = mergeSeries(views, this.aligned));
    this.markers = this.hub.markers.filter(this.o.markerFilter);
    const u = this.u!;
    if (this.following) u.setData(data);
    else {
      const { min, max } = u.scales.x ?? {};
      u.setData(data, false);
      if (typeof min === 'number' && typeof max === 'number') u.setScale('x', { min, max });
    }
    const x = data[0];
    this.el.dataset.points = String(x.length);
    this.el.dataset.xmax = String(x[x.length - 1] ?? '');
    this.el.dataset.markers = String(this.markers.length);
    if (now - this.legendAt >= LEGEND_MS) {
      this.legendAt = now;
      this.o.onLegend(this.legend(data));
    }
  }

  destroy(): void {
    this.resize.disconnect();
    this.detachPanZoom?.();
    this.u?.destroy();
    this.u = undefined;
  }

  /** The columns a node contributes: o/h/l/c for candles, else its first few numeric fields. */
  private pick(v: RingView | undefined, i: number): RingView {
    const n = this.o.nodes[i]!;
    const fields = this.hub.ring(n.nodeId)?.fields ?? [];
    if (!v)
      return {
        t: new Float64Array(0),
        cols: this.columnsOf(n, fields).map(() => new Float64Array(0)),
      };
    return { t: v.t, cols: this.columnsOf(n, fields).map((f) => v.cols[fields.indexOf(f)]!) };
  }

  private columnsOf(n: ChartNode, fields: readonly string[]): string[] {
    if (n.candles && ['open', 'high', 'low', 'close'].every((f) => fields.includes(f)))
      return ['open', 'high', 'low', 'close'];
    return fields.slice(0, MAX_FIELDS);
  }

  private build(shape: string): void {
    this.detachPanZoom?.();
    this.u?.destroy();
    this.shape = shape;
    this.aligned = undefined;
    const series: uPlot.Series[] = [{}];
    const axes: uPlot.Axis[] = [{ ...AXIS }];
    const scales: uPlot.Scales = { x: { time: true } };
    const candleAt: number[] = [];
    this.legendCols = [];
    let color = 0;
    this.o.nodes.forEach((n, i) => {
      const scale = `y${i}`;
      scales[scale] = { auto: true };
      if (i < 2) axes.push({ ...AXIS, scale, side: i === 0 ? 3 : 1, size: axisSize });
      const cols = this.columnsOf(n, this.hub.ring(n.nodeId)?.fields ?? []);
      const candles = cols[0] === 'open' && n.candles;
      if (candles) {
        candleAt.push(series.length);
        this.legendCols.push({ col: series.length + 3, color: '#34d399', label: n.label });
      }
      for (const f of cols) {
        const stroke = candles ? 'transparent' : PALETTE[color++ % PALETTE.length]!;
        const label = cols.length > 1 && !candles ? `${n.label}.${f}` : n.label;
        if (!candles) this.legendCols.push({ col: series.length, color: stroke, label });
        series.push({
          label,
          scale,
          spanGaps: true,
          width: 1.5,
          points: { show: false },
          stroke,
          ...(candles ? { paths: () => null } : {}),
        });
      }
    });
    const { width, height } = this.size();
    this.u = new uPlot(
      {
        width,
        height,
        series,
        axes,
        scales,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        hooks: {
          draw: [
            (u) => {
              for (const c of candleAt) drawCandles(u, c);
              drawMarkers(u, this.markers);
            },
          ],
        },
      },
      [[], ...series.slice(1).map(() => [])] as uPlot.AlignedData,
      this.el,
    );
    this.detachPanZoom = attachPanZoom(this.u, () => {
      if (!this.following) return;
      this.following = false;
      this.o.onFollow(false);
    });
  }

  private legend(data: uPlot.AlignedData): LegendRow[] {
    return this.legendCols.map(({ col, color, label }) => {
      const c = data[col] ?? [];
      let value: number | undefined;
      for (let k = c.length - 1; k >= 0 && value === undefined; k--) value = c[k] ?? undefined;
      return { color, label, value };
    });
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(80, this.el.clientWidth), height: Math.max(60, this.el.clientHeight) };
  }

  private fit(): void {
    this.u?.setSize(this.size());
  }
}
