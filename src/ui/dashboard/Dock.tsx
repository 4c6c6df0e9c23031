import { lazy, Suspense } from 'react';
import { useStore } from 'zustand';
import { getLayout, setLayout, type StudioLayout, useLayout } from './layout.ts';
import { useStudio } from '../StudioProvider.tsx';

// The dock opens closed: its panels load when a tab is first opened (issue #14: a light page).
const FeedHealth = lazy(() => import('./FeedHealth.tsx').then((m) => ({ default: m.FeedHealth })));
const CombinedTable = lazy(() =>
  import('./CombinedTable.tsx').then((m) => ({ default: m.CombinedTable })),
);
// The Workers tab exists only while a run uses workers: it loads with the first one.
const WorkersTab = lazy(() =>
  import('../panels/WorkersTab.tsx').then((m) => ({ default: m.WorkersTab })),
);
const WorkersPanel = lazy(() =>
  import('../panels/WorkersPanel.tsx').then((m) => ({ default: m.WorkersPanel })),
);

const TABS: readonly { id: Exclude<StudioLayout['dock'], 'closed' | 'workers'>; label: string }[] =
  [
    { id: 'feeds', label: 'Feed health' },
    { id: 'combined', label: 'Combined output' },
  ];

/** A dot summarising the feeds: red if any is down, amber if any resyncs or had gaps. */
function FeedDot() {
  const studio = useStudio();
  const level = useStore(studio.telemetryStore, (s) => {
    if (s.feeds.some((f) => f.status.state === 'error' || f.status.state === 'stale')) return 'bad';
    if (s.feeds.some((f) => f.status.state !== 'live' || f.status.counters.gaps > 0)) return 'warn';
    return s.feeds.length > 0 ? 'ok' : 'none';
  });
  return <i className={`dot dot-${level}`} />;
}

/** The bottom dock: feed health, the combined output and the workers, as tabs; collapses to its tab bar. */
export function Dock() {
  const studio = useStudio();
  const tab = useLayout((l) => l.dock);
  const dashboard = useLayout((l) => l.dashboard);
  const charts = useLayout((l) => l.charts.length);
  const liveWorkers = useStore(studio.runtimeStore, (s) => s.workers.length > 0);
  // A worker replay has no runtime telemetry: its workers come from the replay (WorkersTab).
  const replayWorkers = useStore(studio.replayStore, (s) => (s.workers?.length ?? 0) > 0);
  const workers = liveWorkers || replayWorkers;
  return (
    <section className={`panel dock${tab === 'closed' ? ' closed' : ''}`} data-testid="dock">
      <div className="dock-tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'active' : ''}
            onClick={() =>
              setLayout(studio, { dock: getLayout(studio).dock === t.id ? 'closed' : t.id })
            }
          >
            {t.id === 'feeds' && <FeedDot />}
            {t.label}
          </button>
        ))}
        {workers && (
          <Suspense fallback={null}>
            <WorkersTab
              active={tab === 'workers'}
              onClick={() =>
                setLayout(studio, {
                  dock: getLayout(studio).dock === 'workers' ? 'closed' : 'workers',
                })
              }
            />
          </Suspense>
        )}
        <span className="grow" />
        {dashboard === 'hidden' && (
          <button className="ghost" onClick={() => setLayout(studio, { dashboard: 'bottom' })}>
            Show dashboard{charts > 0 ? ` (${charts})` : ''}
          </button>
        )}
        {tab !== 'closed' && (
          <button
            className="ghost"
            aria-label="Collapse dock"
            onClick={() => setLayout(studio, { dock: 'closed' })}
          >
            ▾
          </button>
        )}
      </div>
      <Suspense fallback={null}>
        {tab === 'feeds' && <FeedHealth />}
        {tab === 'combined' && <CombinedTable />}
        {tab === 'workers' && <WorkersPanel />}
      </Suspense>
    </section>
  );
}
