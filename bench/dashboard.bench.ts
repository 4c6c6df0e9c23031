// Live dashboard smoothness: the built studio in headless Chromium running 5 synthetic feeds
// (500 points/s each) through a 50-node graph, with 10 charts of 10k visible points each,
// beside an idle baseline (empty pipeline) in the same browser. requestAnimationFrame records
// main-thread frame times for a few seconds; prints p50/p95/p99 (target p99 ≤ 20 ms), and the
// points per chart (visible window) beside those uPlot drew (decimated to pixel columns).
// Needs `npm run build` first (dist/) and a Chromium (scripts/find-chromium.mjs).
import { deflateRawSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { frameTimes, withBuiltStudio } from './browser.ts';
import type { Bench } from './harness.ts';

const PORT = 4398;
const SECONDS = Number(process.env.BENCH_DASHBOARD_SECONDS ?? 5);
const FEEDS = 5;

/** 5 rows × 10 nodes: sine → ewma, z-score, diff, log return, …; charts on 10 of them. */
export function dashboardPipeline(): object {
  const nodes: object[] = [];
  const edges: object[] = [];
  const charts: object[] = [];
  for (let r = 0; r < FEEDS; r++) {
    const id = (s: string) => `${s}_${r}`;
    const add = (s: string, definition: string, col: number, params: object = {}) =>
      nodes.push({ id: id(s), definition, params, position: { x: col * 260, y: r * 190 } });
    const wire = (a: string, b: string, slot = 'value') =>
      edges.push({ id: `${id(a)}->${id(b)}`, source: id(a), target: id(b), targetSlot: slot });
    add('sine', 'synthetic.synthetic_sine_mid_price', 0, {
      symbol: `SINE${r}`,
      step: 0.002,
      freq: 0.05 + r / 50,
    });
    for (const [i, s] of ['ewma', 'z', 'diff', 'ret'].entries())
      add(s, `transforms.${['ewma', 'zscore', 'diff', 'log_return'][i]}`, i + 1);
    add('ewma2', 'transforms.ewma', 5);
    add('z2', 'transforms.zscore', 6);
    add('diff2', 'transforms.diff', 7);
    add('ewma3', 'transforms.ewma', 8);
    add('z3', 'transforms.zscore', 9);
    for (const s of ['ewma', 'z', 'diff', 'ret']) wire('sine', s);
    wire('ewma', 'ewma2');
    wire('z', 'z2');
    wire('diff', 'diff2');
    wire('ewma2', 'ewma3');
    wire('z2', 'z3');
    charts.push({ id: `s${r}`, nodeIds: [id('sine')] }, { id: `e${r}`, nodeIds: [id('ewma')] });
  }
  const layout = {
    charts,
    windowPoints: 10_000,
    windowSec: 3600,
    dashboard: 'right',
    dashboardSize: 900,
  };
  return { version: 1, name: 'dashboard bench', nodes, edges, layout };
}

const hashOf = (doc: object) =>
  `#p=${deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url')}`;

/** Frame times while the page runs untouched for `seconds`. */
const idleFrames = (page: Page, seconds: number) =>
  frameTimes(page, () => page.waitForTimeout(seconds * 1000));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

function report(label: string, xs: number[], extra = ''): void {
  console.log(
    `  ${label.padEnd(34)} frames ${String(xs.length).padStart(4)}  p50 ${pct(xs, 50).toFixed(1)} ms  p95 ${pct(xs, 95).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms${extra}`,
  );
}

const bench: Bench = {
  name: 'dashboard',
  description: `live dashboard frame times: ${FEEDS} feeds, 10 charts × 10k points, 50-node graph vs idle (headless Chromium, ${SECONDS} s)`,
  async run() {
    await withBuiltStudio(PORT, async (browser) => {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      await page.goto(
        `http://127.0.0.1:${PORT}/${hashOf({ version: 1, name: 'idle', nodes: [], edges: [] })}`,
      );
      await page.waitForSelector('[data-testid="run-state"]');
      await page.waitForTimeout(1500);
      report('idle (empty pipeline)', await idleFrames(page, SECONDS));
      // Same pipeline without charts: what the run and the canvas cost on their own.
      const bare = { ...dashboardPipeline(), layout: { dashboard: 'hidden' } };
      await page.goto(`http://127.0.0.1:${PORT}/?bench=bare${hashOf(bare)}`);
      await page.waitForSelector('.react-flow__node');
      await page.waitForTimeout(5000);
      report('same graph, no charts', await idleFrames(page, SECONDS));
      // A new query string: a hash-only change would not reload the page.
      await page.goto(`http://127.0.0.1:${PORT}/?bench=dashboard${hashOf(dashboardPipeline())}`);
      await page.waitForSelector('[data-chart-id]');
      // Fill the rings: 500 points/s per feed reaches 10k visible points in ~20 s.
      const points = () =>
        page.$$eval('[data-chart-id] [data-testid="chart-body"]', (els) =>
          els.map((e) => Number((e as HTMLElement).dataset.points ?? 0)),
        );
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && Math.min(...(await points())) < 10_000)
        await page.waitForTimeout(500);
      const pts = await points();
      const xs = await idleFrames(page, SECONDS);
      // What uPlot draws per chart: the window decimated to the plot's pixel columns.
      const drawn = await page.$$eval('[data-chart-id] [data-testid="chart-body"]', (els) =>
        els.map((e) => Number((e as HTMLElement).dataset.drawn ?? 0)),
      );
      report(
        `dashboard (${pts.length} charts)`,
        xs,
        `  points/chart min ${Math.min(...pts)}, drawn max ${Math.max(...drawn)}`,
      );
    });
  },
};
export default bench;
