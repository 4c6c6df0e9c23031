import { memo, useEffect, useRef, useState } from 'react';
import { BookController } from '../charts/BookController.ts';
import { onFrame } from '../charts/frameLoop.ts';
import { removeChart } from './chartActions.ts';
import type { ChartSpec } from './layout.ts';
import { useStudio } from '../StudioProvider.tsx';

/** An order-book chart: depth ladder beside a heatmap of resting size over time. */
function BookCardImpl({ chart, label }: { chart: ChartSpec; label: string }) {
  const studio = useStudio();
  const body = useRef<HTMLDivElement>(null);
  const ctl = useRef<BookController | undefined>(undefined);
  const [paused, setPaused] = useState(false);
  const nodeId = chart.nodeIds[0]!;
  useEffect(() => {
    const c = new BookController(body.current!, studio.liveHub, nodeId);
    ctl.current = c;
    const off = onFrame((t) => c.frame(t));
    return () => {
      off();
      c.destroy();
    };
  }, [studio.liveHub, nodeId]);
  return (
    <section className="chart-card" data-testid={`chart-${chart.id}`} data-chart-id={chart.id}>
      <header className="chart-head">
        <div className="chart-series">
          <span className="chip">{label}</span>
          <span className="muted small">depth ladder · heatmap</span>
        </div>
        <div className="chart-tools">
          <button
            className={`chart-btn${paused ? ' on' : ''}`}
            onClick={() => {
              ctl.current?.setPaused(!paused);
              setPaused(!paused);
            }}
          >
            {paused ? '▶ Resume' : '❚❚ Pause'}
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
      <div className="chart-body book-body" ref={body} data-testid="chart-body" />
    </section>
  );
}

export const BookCard = memo(BookCardImpl);
