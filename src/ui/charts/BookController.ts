import type { Level } from '../../core/events.ts';
import type { BookState, LiveHub } from '../live/LiveHub.ts';

const BID = [52, 211, 153];
const ASK = [248, 113, 113];
/** Heatmap columns per second at most (one column = one sampled book). */
const HEAT_MS = 100;
const HEAT_COL = 2;

/**
 * Draws an `l2_snapshot` node: a depth ladder (cumulative size per level, bids below asks) and,
 * beside it, a heatmap of resting size over time. Canvas 2D, driven by the frame loop; the heatmap
 * scrolls by copying itself one column left, so a frame draws one new column, not the history.
 */
export class BookController {
  private readonly ladder: HTMLCanvasElement;
  private readonly heat: HTMLCanvasElement;
  private seen = -1;
  private heatAt = 0;
  private range: { lo: number; hi: number } | undefined;
  private paused = false;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly el: HTMLElement,
    private readonly hub: LiveHub,
    private nodeId: string,
  ) {
    this.ladder = document.createElement('canvas');
    this.heat = document.createElement('canvas');
    this.ladder.className = 'book-ladder';
    this.heat.className = 'book-heat';
    el.append(this.ladder, this.heat);
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(el);
    this.fit();
  }

  setNode(nodeId: string): void {
    this.nodeId = nodeId;
    this.seen = -1;
  }

  setPaused(p: boolean): void {
    this.paused = p;
    this.el.dataset.paused = String(p);
  }

  /** Draw the newest book if it moved; returns whether it drew (the frame loop's budget). */
  frame(now: number): boolean {
    const b = this.hub.book(this.nodeId);
    if (this.paused || !b || b.version === this.seen) return false;
    this.seen = b.version;
    this.el.dataset.points = String(b.version);
    this.drawLadder(b);
    if (now - this.heatAt >= HEAT_MS) {
      this.heatAt = now;
      this.drawHeatColumn(b);
    }
    return true;
  }

  destroy(): void {
    this.resize.disconnect();
    this.ladder.remove();
    this.heat.remove();
  }

  private fit(): void {
    const dpr = devicePixelRatio;
    const w = this.el.clientWidth;
    const h = this.el.clientHeight;
    this.ladder.width = Math.max(1, Math.round(w * 0.45 * dpr));
    this.ladder.height = Math.max(1, Math.round(h * dpr));
    this.heat.width = Math.max(1, Math.round(w * 0.55 * dpr));
    this.heat.height = Math.max(1, Math.round(h * dpr));
    this.seen = -1;
    this.range = undefined;
  }

  private drawLadder(b: BookState): void {
    const c = this.ladder.getContext('2d')!;
    const { width: W, height: H } = this.ladder;
    const dpr = devicePixelRatio;
    c.clearRect(0, 0, W, H);
    const n = Math.max(b.bids.length, b.asks.length, 1);
    const rowH = Math.min(18 * dpr, H / (2 * n));
    const cum = (ls: readonly Level[]) => {
      let s = 0;
      return ls.map((l) => (s += l[1]));
    };
    const cb = cum(b.bids);
    const ca = cum(b.asks);
    const max = Math.max(cb[cb.length - 1] ?? 0, ca[ca.length - 1] ?? 0, 1e-12);
    c.font = `${10 * dpr}px 'JetBrains Mono', ui-monospace, monospace`;
    c.textBaseline = 'middle';
    const mid = H / 2;
    const row = (l: Level, total: number, y: number, rgb: number[]) => {
      c.fillStyle = `rgba(${rgb.join(',')},0.28)`;
      c.fillRect(W - (total / max) * W, y, (total / max) * W, rowH - dpr);
      c.fillStyle = `rgb(${rgb.join(',')})`;
      c.fillText(l[0].toPrecision(7), 4 * dpr, y + rowH / 2);
      c.fillStyle = '#8b96a8';
      c.textAlign = 'right';
      c.fillText(l[1].toPrecision(4), W - 4 * dpr, y + rowH / 2);
      c.textAlign = 'left';
    };
    b.asks.forEach((l, i) => row(l, ca[i]!, mid - (i + 1) * rowH, ASK));
    b.bids.forEach((l, i) => row(l, cb[i]!, mid + i * rowH, BID));
  }

  private drawHeatColumn(b: BookState): void {
    const c = this.heat.getContext('2d')!;
    const { width: W, height: H } = this.heat;
    const bid = b.bids[0]?.[0];
    const ask = b.asks[0]?.[0];
    if (bid === undefined || ask === undefined) return;
    const m = (bid + ask) / 2;
    const span = Math.max(
      (b.asks[b.asks.length - 1]?.[0] ?? ask) - m,
      m - (b.bids[b.bids.length - 1]?.[0] ?? bid),
      m * 1e-5,
    );
    // Re-centre when the price walks off the map (old columns would lie about prices).
    if (!this.range || m < this.range.lo + span * 0.3 || m > this.range.hi - span * 0.3) {
      this.range = { lo: m - span * 1.6, hi: m + span * 1.6 };
      c.clearRect(0, 0, W, H);
    }
    const dpr = devicePixelRatio;
    const col = HEAT_COL * dpr;
    c.drawImage(this.heat, -col, 0);
    c.clearRect(W - col, 0, col, H);
    const { lo, hi } = this.range;
    const y = (p: number) => H - ((p - lo) / (hi - lo)) * H;
    const max = Math.max(...b.bids.map((l) => l[1]), ...b.asks.map((l) => l[1]), 1e-12);
    const cell = Math.max(dpr, H / 60);
    const paint = (ls: readonly Level[], rgb: number[]) => {
      for (const [p, s] of ls) {
        c.fillStyle = `rgba(${rgb.join(',')},${(0.15 + 0.85 * Math.sqrt(s / max)).toFixed(3)})`;
        c.fillRect(W - col, y(p) - cell / 2, col, cell);
      }
    };
    paint(b.bids, BID);
    paint(b.asks, ASK);
    c.fillStyle = '#e6e9ef';
    c.fillRect(W - col, y(m) - dpr / 2, col, dpr);
  }
}
