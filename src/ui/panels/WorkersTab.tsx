import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';

/**
 * The Workers tab of the bottom dock (so it never floats over the canvas or the dashboard): its
 * tab button is a one-line summary — worker count, failures, recoveries — shown whenever the run
 * uses workers; a click opens the table (`WorkersPanel.tsx`). Re-renders at the telemetry rate. Apart from
 * the panel: the dock opens closed, so the panel loads when first opened (issue #14).
 */
export function WorkersTab({ active, onClick }: { active: boolean; onClick: () => void }) {
  const studio = useStudio();
  const view = useStore(studio.runtimeStore);
  const replay = useStore(studio.replayStore, (s) => s.workers);
  // A worker replay sends no telemetry: its workers and their restarts, from the replay.
  const onReplay = view.workers.length === 0 && replay !== undefined && replay.length > 0;
  if (view.workers.length === 0 && !onReplay) return null;
  return (
    <button
      role="tab"
      aria-selected={active}
      aria-expanded={active}
      className={`workers-toggle${active ? ' active' : ''}`}
      data-testid="workers-toggle"
      onClick={onClick}
    >
      {onReplay ? 'Replay workers' : 'Workers'}{' '}
      <b data-testid="workers-count">{onReplay ? replay.length : view.workers.length}</b>
      <span className="workers-counters">
        {!onReplay && (
          <>
            failures <b data-testid="runtime-failures">{view.failures}</b> ·{' '}
          </>
        )}
        recoveries{' '}
        <b data-testid="runtime-recoveries">
          {onReplay ? replay.reduce((n, w) => n + w.restarts, 0) : view.recoveries}
        </b>
      </span>
    </button>
  );
}
