import { memo, type DragEvent, useCallback, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { LegendRow } from '../charts/ChartController.ts';
import { useChart } from '../charts/useChart.ts';
import { useTheme } from '../theme.ts';
import { formatNumber } from '../format.ts';
import { useRunStatus, useUtc } from '../hooks.ts';
import { addSeries, NODE_MIME, removeChart, removeSeries } from './chartActions.ts';
import type { ChartNodesInfo } from './chartNodes.ts';
import { emptyChartNote } from './emptyChartNote.ts';
import { markerMatches } from './feedsOf.ts';
import type { ChartSpec } from './layout.ts';
import { useStudio } from '../StudioProvider.tsx';

export interface ChartCardProps {
  readonly chart: ChartSpec;
  /** {@link useChartNodes}' JSON (a primitive, so memo holds across unrelated edits). */
  readonly info: string;
  readonly windowSec: number;
}

/** Accept node drags (chart grip) on a chart: the node becomes another series. */
export function nodeDropHandlers(onNode: (nodeId: string) => void) {
  return {
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes(NODE_MIME)) return;
      e.preventDefault();
      e.stopPropagation();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDrop: (e: DragEvent) => {
      const id = e.dataTransfer.getData(NODE_MIME);
      if (!id) return;
      e.preventDefault();
      e.stopPropagation();
      onNode(id);
    },
  };
}

/** A time-series chart of one or more nodes: header with series chips and pause/live, legend. */
function ChartCardImpl({ chart, info, windowSec }: ChartCardProps) {
  const studio = useStudio();
  const parsed = useMemo(() => JSON.parse(info) as ChartNodesInfo, [info]);
  const body = useRef<HTMLDivElement>(null);
  const legend = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [paused, setPaused] = useState(false);
  const [empty, setEmpty] = useState(true);
  const utc = useUtc();
  const theme = useTheme();
  const run = useRunStatus().state;
  const replay = useStore(studio.replayStore, (s) =>
    !s.controller
      ? undefined
      : s.playing
        ? 'playing'
        : s.total > 0 && s.position >= s.total && !s.recording
          ? 'ended'
          : 'paused',
  );
  const onLegend = useCallback(
    (rows: readonly LegendRow[]) => renderLegend(legend.current, rows),
    [],
  );
  const options = useMemo(
    () => ({
      nodes: parsed.nodes.map((n) => ({ ...n, candles: n.kind === 'ohlcv' })),
      windowSec,
      markerFilter: (m: Parameters<typeof markerMatches>[1]) => markerMatches(parsed.feeds, m),
      onFollow: setFollowing,
      onLegend,
      onEmpty: setEmpty,
      utc,
      theme,
    }),
    [parsed, windowSec, onLegend, utc, theme],
  );
  const ctl = useChart(body, options);
  const live = following && !paused;
  const drop = nodeDropHandlers((id) => addSeries(studio, chart.id, id));
  return (
    <section
      className="chart-card"
      data-testid={`chart-${chart.id}`}
      data-chart-id={chart.id}
      {...drop}
    >
      <header className="chart-head">
        <div className="chart-series">
          {parsed.nodes.map((n) => (
            <span key={n.nodeId} className="chip" title={`${n.label} (${n.kind})`}>
              {n.label}
              <button
                className="chip-x"
                aria-label={`Remove ${n.label} from chart`}
                onClick={() => removeSeries(studio, chart.id, n.nodeId)}
              >
                ×
              </button>
            </span>
          ))}
        </div>
        <div className="chart-tools">
          <button
            className={`chart-btn${paused ? ' on' : ''}`}
            onClick={() => {
              ctl.current?.setPaused(!paused);
              setPaused(!paused);
            }}
            title="Freeze this chart (data keeps flowing)"
          >
            {paused ? '▶ Resume' : '❚❚ Pause'}
          </button>
          <button
            className={`chart-btn live${live ? ' on' : ''}`}
            onClick={() => {
              ctl.current?.follow();
              setPaused(false);
            }}
            title={
              replay
                ? 'Follow the replay’s newest data (double-click the chart too)'
                : 'Follow live data (double-click the chart too)'
            }
          >
            {/* During a replay the data is the recording's, not live. */}
            {replay === undefined
              ? '● Live'
              : replay === 'playing'
                ? '● Replay'
                : '● Replay (paused)'}
          </button>
          <button
            className="chart-btn"
            aria-label="Remove chart"
            onClick={() => removeChart(studio, chart.id)}
          >
            ✕
          </button>
        </div>
      </header>
      <div
        className="chart-body"
        ref={body}
        data-testid="chart-body"
        onDoubleClick={() => {
          ctl.current?.follow();
          setPaused(false);
        }}
      />
      {empty && (
        <div className="chart-empty" data-testid="chart-empty" role="status">
          {emptyChartNote({
            run,
            replay: replay && { playing: replay === 'playing', atEnd: replay === 'ended' },
            bars: parsed.nodes.length > 0 && parsed.nodes.every((n) => n.kind === 'ohlcv'),
          })}
        </div>
      )}
      <div className="chart-legend" ref={legend} />
    </section>
  );
}

function renderLegend(el: HTMLDivElement | null, rows: readonly LegendRow[]): void {
  if (!el) return;
  while (el.children.length > rows.length) el.lastChild!.remove();
  rows.forEach((r, i) => {
    let item = el.children[i] as HTMLElement | undefined;
    if (!item) {
      item = document.createElement('span');
      item.className = 'legend-item';
      item.innerHTML = '<i></i><span class="legend-label"></span><b class="mono"></b>';
      el.append(item);
    }
    (item.children[0] as HTMLElement).style.background = r.color;
    item.children[1]!.textContent = r.label;
    item.children[2]!.textContent = r.value === undefined ? '—' : formatNumber(r.value);
  });
}

export const ChartCard = memo(ChartCardImpl);
