import { useStore } from 'zustand';
import { lazy, Suspense } from 'react';
import { usePipeline, useRunStatus, useSelection } from '../hooks.ts';
import { FirstRunGuide } from './FirstRunGuide.tsx';
import { useStudio } from '../StudioProvider.tsx';
import { replayPlayback, runStateLabel } from '../replay/replayStore.ts';

// The node form (parameter fields, venue and symbol pickers) loads when a node is first selected.
// Problems are listed with the formatter (and its definition names) loaded when there are some.
const ProblemList = lazy(() =>
  import('./ProblemList.tsx').then((m) => ({ default: m.ProblemList })),
);
const NodeInspector = lazy(() =>
  import('./NodeInspector.tsx').then((m) => ({ default: m.NodeInspector })),
);
const MultiSelection = lazy(() =>
  import('./NodeInspector.tsx').then((m) => ({ default: m.MultiSelection })),
);

/** Right-hand panel: the selected node's generated form, or a summary of the pipeline. */
export function Inspector() {
  const selected = useSelection((s) => s.nodes);
  const id = selected.size === 1 ? [...selected][0]! : undefined;
  const node = usePipeline((s) => (id ? s.doc.nodes.find((n) => n.id === id) : undefined));
  return (
    <aside className="inspector" data-testid="inspector">
      {node ? (
        <Suspense fallback={null}>
          <NodeInspector node={node} />
        </Suspense>
      ) : selected.size > 1 ? (
        <Suspense fallback={null}>
          <MultiSelection count={selected.size} />
        </Suspense>
      ) : (
        <PipelineSummary />
      )}
    </aside>
  );
}

function PipelineSummary() {
  const studio = useStudio();
  const name = usePipeline((s) => s.doc.name);
  const nodes = usePipeline((s) => s.doc.nodes.length);
  const edges = usePipeline((s) => s.doc.edges.length);
  const issues = useStore(studio.issuesStore, (s) => s.all);
  const checked = useStore(studio.issuesStore, (s) => s.checked);
  const status = useRunStatus();
  const playback = useStore(studio.replayStore, replayPlayback);
  return (
    <>
      <header className="inspector-head">
        <div className="inspector-group">pipeline</div>
        <h2>{name}</h2>
        <p>
          {nodes} nodes · {edges} connections · {runStateLabel(status.state, playback)}
          {status.message ? ` — ${status.message}` : ''}
        </p>
      </header>
      <section className="inspector-section">
        <h3>Problems</h3>
        {!checked ? (
          <p className="muted">Checking…</p>
        ) : issues.length === 0 ? (
          <p className="ok">No problems: every node can run.</p>
        ) : (
          <Suspense fallback={null}>
            <ProblemList issues={issues} />
          </Suspense>
        )}
      </section>
      <FirstRunGuide />
      <section className="inspector-section tips">
        <h3>Tips</h3>
        <p>
          Drag nodes from the palette, connect an output (right) to an input (left). Select a node
          to edit it.
        </p>
        <p>
          Press <kbd>?</kbd> for keyboard shortcuts.
        </p>
      </section>
    </>
  );
}
