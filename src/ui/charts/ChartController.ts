import uPlot from 'uplot';
import type { LiveHub } from '../live/LiveHub.ts';
import type { FeedMarker } from '../../session/PipelineRunner.ts';
import { attachPanZoom, drawCandles, drawMarkers, PALETTE } from './chartDraw.ts';
import { Decimator } from './decimate.ts';
import { type Aligned, mergeSeries } from './mergeSeries.ts';
import { chartDateFormat } from '../timeText.ts';
import { cssVar } from '../theme.ts';
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
  /** The chart became empty (no point in its window) or got its first point. */
  readonly onEmpty?: (empty: boolean) => void;
  /** Time axis in UTC instead of the browser's time zone (the user's display preference). */
  readonly utc?: boolean;
  /** The page's theme: axis colours follow it (a change rebuilds the plot). */
  readonly theme?: string;
}

export interface LegendRow {
  readonly color: string;
  readonly label: string;
  readonly value: number | undefined;
}

/** The axes' font: set explicitly so label widths can be measured with the same one. */
const AXIS_FONT = '11px Inter, system-ui, sans-serif';
/** Axis style in the page's theme (read when a chart is built; a theme change rebuilds it). */
function axisStyle() {
  return {
    stroke: cssVar('--muted', '#8b96a8'),
    font: AXIS_FONT,
    grid: { stroke: cssVar('--chart-grid', '#1d2636'), width: 1 },
    ticks: { stroke: cssVar('--border', '#222c3d'), size: 6 },
    gap: 4,
  };
}
const LEGEND_MS = 100;
let measure: CanvasRenderingContext2D | null | undefined;

/**
 * A y-axis as wide as its widest tick label (prices like 27,123.45 or 64,000.25 clipped on the
 * left with a fixed or per-character guess): measured in the axis font, plus ticks, gap and a
 * margin. uPlot calls it again as the labels change (its size convergence cycles).
 */
export function axisSize(_u: uPlot, values: string[] | null): number {
  if (!values || values.length === 0) return 40;
  measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return Math.max(40, ...values.map((v) => v.length * 8 + 18));
  measure.font = AXIS_FONT;
  const widest = Math.max(...values.map((v) => measure!.measureText(v).width));
  return Math.ceil(widest) + 6 + 4 + 8; /* tick size + gap (axisStyle) + margin */
}
const MAX_FIELDS = 3;

/**
 * Y tick labels with as many decimals as the tick step needs: uPlot's default keeps at most 3,
 * so a feature around 0.0001 labelled every tick "0".
 */
export function yTicks(_u: uPlot, splits: number[], _axis: number, _space: number, incr: number) {
  let d = 0;
  while (d < 12 && Math.abs(Math.round(incr * 10 ** d) - incr * 10 ** d) > 1e-6) d++;
  const fmt = (TICK_FORMATS[d] ??= new Intl.NumberFormat('en-US', {
    minimumFractionDigits: d,
    maximumFractionDigits: d,
  }));
  return splits.map((v) => fmt.format(v));
}
const TICK_FORMATS: Intl.NumberFormat[] = [];

/**
 * Owns one uPlot outside React (codebase-style §4): the frame loop calls {@link frame}, which
 * applies the newest data at most once per animation frame and only when a series it shows
 * changed (or the x-range or size did). uPlot gets the window M4-decimated to the plot's pixel
 * columns ({@link Decimator}), never the raw 10k points. Pause freezes a copy of the data (the
 * ring keeps moving underneath) and the x-range; panning or zooming stops following live and
 * re-decimates the new range; `follow()` resumes both.
 */
export class ChartController {
  private u: uPlot | undefined;
  private shape = '';
  private seen = -1;
  private paused = false;
  private following = true;
  private legendAt = 0;
  private aligned: Aligned | undefined;
  private decimators: Decimator[] = [];
  /** The data a paused chart shows: copies, since the rings keep overwriting their windows. */
  private frozen: RingView[] | undefined;
  /** The x-range or the plot size changed: the decimation must be redone even without new data. */
  private dirty = false;
  /** Whether the last frame had no point to show (undefined before the first frame). */
  private empty: boolean | undefined;
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
    this.empty = undefined;
  }

  setPaused(paused: boolean): void {
    if (paused && !this.paused) this.frozen = this.sources().map(copyView);
    if (!paused) this.frozen = undefined;
    this.paused = paused;
    this.dirty = true;
    this.el.dataset.paused = String(paused);
  }

  /** Back to live: unpause, follow the newest data. */
  follow(): void {
    this.following = true;
    this.setPaused(false);
    this.seen = -1;
    this.o.onFollow(true);
  }

  /** Redraw if anything shown moved; returns whether uPlot drew (the frame loop's budget). */
  frame(now: number): boolean {
    const rings = this.o.nodes.map((n) => this.hub.ring(n.nodeId));
    const version =
      rings.reduce((v, r) => v + (r?.version ?? 0), 0) + this.hub.markersVersion * 1e9;
    if ((this.paused || version === this.seen) && !this.dirty) return false;
    if (!this.paused) this.seen = version;
    this.dirty = false;
    const shape =
      this.o.nodes.map((n, i) => `${n.nodeId}:${rings[i]?.fields.join(',') ?? ''}`).join('|') +
      (this.o.utc ? '|utc' : '') +
      `|${this.o.theme ?? ''}`;
    if (shape !== this.shape || !this.u) this.build(shape);
    const u = this.u!;
    const views = this.frozen ?? this.sources();
    const [tMin, tMax] = this.range(views);
    const buckets = u.bbox.width > 0 ? u.bbox.width : this.size().width * devicePixelRatio;
    while (this.decimators.length < views.length) this.decimators.push(new Decimator());
    const shown = views.map((v, i) => this.decimators[i]!.run(v, tMin, tMax, buckets));
    const data =
      shown.length === 1
        ? ([shown[0]!.t, ...shown[0]!.cols] as uPlot.AlignedData)
        : (this.aligned = mergeSeries(shown, this.aligned));
    if (!this.paused) this.markers = this.hub.markers.filter(this.o.markerFilter);
    if (this.following) {
      u.setData(data);
      // One instant (a lone bar, a replay's first event): uPlot widens a time axis with a single
      // x by 86400 "ms", which in seconds is 1000 days — the years-wide axis of the loop-replay
      // bug. A second either side instead.
      const xs = data[0];
      if (xs.length > 0 && xs[xs.length - 1]! - xs[0]! < 1e-3)
        u.setScale('x', { min: xs[0]! - 1, max: xs[0]! + 1 });
    } else {
      const { min, max } = u.scales.x ?? {};
      u.setData(data, false);
      if (typeof min === 'number' && typeof max === 'number') u.setScale('x', { min, max });
    }
    const x = data[0];
    // Points of the window before decimation (what the chart stands for), and what uPlot drew.
    const points = views.reduce((n, v) => n + v.t.length, 0);
    this.el.dataset.points = String(points);
    if (this.empty !== (points === 0)) {
      this.empty = points === 0;
      this.o.onEmpty?.(this.empty);
    }
    this.el.dataset.drawn = String(x.length);
    this.el.dataset.xmin = String(x[0] ?? '');
    this.el.dataset.xmax = String(x[x.length - 1] ?? '');
    // The first plotted series' value range: what the y axis must cover (e2e read it).
    const [ylo, yhi] = valueRange(data[1]);
    this.el.dataset.ymin = String(ylo ?? '');
    this.el.dataset.ymax = String(yhi ?? '');
    this.el.dataset.markers = String(this.markers.length);
    if (now - this.legendAt >= LEGEND_MS) {
      this.legendAt = now;
      this.o.onLegend(this.legend(data));
    }
    return true;
  }

  destroy(): void {
    this.resize.disconnect();
    this.detachPanZoom?.();
    this.u?.destroy();
    this.u = undefined;
  }

  /** Each node's plotted columns: the live window while following, else its whole history. */
  private sources(): RingView[] {
    return this.o.nodes.map((n, i) =>
      this.pick(this.hub.ring(n.nodeId)?.view(this.following ? this.o.windowSec : Infinity), i),
    );
  }

  /** The time range to decimate for: the data's while following, else the chart's x-scale. */
  private range(views: readonly RingView[]): [number, number] {
    const { min, max } = this.u?.scales.x ?? {};
    if (!this.following && typeof min === 'number' && typeof max === 'number') return [min, max];
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of views) {
      if (v.t.length === 0) continue;
      lo = Math.min(lo, v.t[0]!);
      hi = Math.max(hi, v.t[v.t.length - 1]!);
    }
    return lo <= hi ? [lo, hi] : [0, 0];
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
    this.decimators = [];
    const series: uPlot.Series[] = [{}];
    const axis = axisStyle();
    const axes: uPlot.Axis[] = [{ ...axis }];
    const scales: uPlot.Scales = { x: { time: true } };
    const candleAt: number[] = [];
    this.legendCols = [];
    let color = 0;
    this.o.nodes.forEach((n, i) => {
      const scale = `y${i}`;
      scales[scale] = { auto: true };
      if (i < 2)
        axes.push({ ...axis, scale, side: i === 0 ? 3 : 1, size: axisSize, values: yTicks });
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
        // One time format everywhere (timeText.ts): the locale's, in UTC when asked.
        fmtDate: chartDateFormat,
        ...(this.o.utc
          ? { tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC') }
          : {}),
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        hooks: {
          // What the x axis spans (seconds), for e2e: years for one point was the loop-replay bug.
          setScale: [
            (u, key) => {
              const { min, max } = u.scales.x ?? {};
              if (key === 'x' && typeof min === 'number' && typeof max === 'number')
                this.el.dataset.xspan = String(max - min);
            },
          ],
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
      // The next frame re-decimates for the new range (at the zoomed-in detail), paused or not.
      this.dirty = true;
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
    this.dirty = true;
  }
}

/** Smallest and largest finite value of a column (undefined when it has none). */
function valueRange(c: ArrayLike<number | null | undefined> | undefined): [number?, number?] {
  let lo: number | undefined;
  let hi: number | undefined;
  for (let i = 0; c && i < c.length; i++) {
    const v = c[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (lo === undefined || v < lo) lo = v;
    if (hi === undefined || v > hi) hi = v;
  }
  return [lo, hi];
}

function copyView(v: RingView): RingView {
  return { t: v.t.slice(), cols: v.cols.map((c) => c.slice()) };
}
