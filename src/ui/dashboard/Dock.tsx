import { useStore } from 'zustand';
import { CombinedTable } from './CombinedTable.tsx';
import { FeedHealth } from './FeedHealth.tsx';
import { getLayout, setLayout, type StudioLayout, useLayout } from './layout.ts';
import { useStudio } from '../StudioProvider.tsx';
import { WorkersPanel, WorkersTab } from '../panels/WorkersPanel.tsx';

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
        <WorkersTab
          active={tab === 'workers'}
          onClick={() =>
            setLayout(studio, { dock: getLayout(studio).dock === 'workers' ? 'closed' : 'workers' })
          }
        />
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
      {tab === 'feeds' && <FeedHealth />}
      {tab === 'combined' && <CombinedTable />}
      {tab === 'workers' && <WorkersPanel />}
    </section>
  );
}
