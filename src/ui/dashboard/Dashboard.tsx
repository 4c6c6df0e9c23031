import { useEffect } from 'react';
import 'uplot/dist/uPlot.min.css';
import { BookCard } from './BookCard.tsx';
import { ChartCard, nodeDropHandlers } from './ChartCard.tsx';
import { chartNode } from './chartActions.ts';
import { type ChartNodesInfo, useChartNodes } from './chartNodes.ts';
import { type ChartSpec, getLayout, setLayout, useLayout } from './layout.ts';
import { useStudio } from '../StudioProvider.tsx';

const POINTS = [1_000, 10_000, 50_000];
const SECONDS = [30, 120, 600, 3600];

/** Keep history (and full series from the runner) for exactly the charted nodes. */
function useChartedNodes(): void {
  const key = useLayout((l) => [...new Set(l.charts.flatMap((c) => c.nodeIds))].sort().join('\n'));
  const points = useLayout((l) => l.windowPoints);
  const studio = useStudio();
  useEffect(() => {
    const ids = key === '' ? [] : key.split('\n');
    studio.liveHub.setCharted(ids, points);
    studio.runController.setSeriesNodes(ids);
  }, [studio, key, points]);
}

function Chart({ chart, windowSec }: { chart: ChartSpec; windowSec: number }) {
  const info = useChartNodes(chart.nodeIds);
  const parsed = JSON.parse(info) as ChartNodesInfo;
  if (parsed.nodes.length === 0) return null;
  if (parsed.nodes[0]!.kind === 'l2_snapshot')
    return <BookCard chart={chart} label={parsed.nodes[0]!.label} />;
  return <ChartCard chart={chart} info={info} windowSec={windowSec} />;
}

/** The dashboard: live charts of chosen nodes, with the history window and docking controls. */
export function Dashboard() {
  const studio = useStudio();
  useChartedNodes();
  const charts = useLayout((l) => l.charts);
  const windowSec = useLayout((l) => l.windowSec);
  const points = useLayout((l) => l.windowPoints);
  const where = useLayout((l) => l.dashboard);
  const drop = nodeDropHandlers((id) => chartNode(studio, id));
  return (
    <section className="panel dashboard" data-testid="dashboard" data-dashboard {...drop}>
      <header className="panel-head">
        <h2>Dashboard</h2>
        <span className="muted small">
          {charts.length === 0 ? '' : `${charts.length} chart${charts.length > 1 ? 's' : ''}`}
        </span>
        <div className="panel-tools">
          <label className="small muted" title="Seconds in view while following live">
            view
            <select
              value={windowSec}
              onChange={(e) => setLayout(studio, { windowSec: Number(e.target.value) })}
            >
              {SECONDS.map((s) => (
                <option key={s} value={s}>
                  {s < 60 ? `${s} s` : s < 3600 ? `${s / 60} min` : `${s / 3600} h`}
                </option>
              ))}
            </select>
          </label>
          <label className="small muted" title="History kept per series (ring buffer)">
            keep
            <select
              value={points}
              onChange={(e) => setLayout(studio, { windowPoints: Number(e.target.value) })}
            >
              {POINTS.map((p) => (
                <option key={p} value={p}>
                  {p / 1000}k pts
                </option>
              ))}
            </select>
          </label>
          <button
            className="icon-btn"
            title={where === 'right' ? 'Dock at the bottom' : 'Dock on the right'}
            aria-label={where === 'right' ? 'Dock at the bottom' : 'Dock on the right'}
            onClick={() =>
              setLayout(studio, {
                dashboard: getLayout(studio).dashboard === 'right' ? 'bottom' : 'right',
              })
            }
          >
            {where === 'right' ? '⬓' : '◨'}
          </button>
          <button
            className="icon-btn"
            title="Hide the dashboard"
            aria-label="Hide the dashboard"
            onClick={() => setLayout(studio, { dashboard: 'hidden' })}
          >
            ✕
          </button>
        </div>
      </header>
      {charts.length === 0 ? (
        <div className="dashboard-empty">
          <p>No charts yet.</p>
          <p className="muted">
            Click <b>Chart</b> on a node, right-click a node, or drag a node here. Drop a node on a
            chart to add it as a series.
          </p>
        </div>
      ) : (
        <div className="chart-grid">
          {charts.map((c) => (
            <Chart key={c.id} chart={c} windowSec={windowSec} />
          ))}
        </div>
      )}
    </section>
  );
}
