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
  if (view.workers.length === 0) return null;
  return (
    <button
      role="tab"
      aria-selected={active}
      aria-expanded={active}
      className={`workers-toggle${active ? ' active' : ''}`}
      data-testid="workers-toggle"
      onClick={onClick}
    >
      Workers <b data-testid="workers-count">{view.workers.length}</b>
      <span className="workers-counters">
        failures <b data-testid="runtime-failures">{view.failures}</b> · recoveries{' '}
        <b data-testid="runtime-recoveries">{view.recoveries}</b>
      </span>
    </button>
  );
}
