import * as act from '../actions.ts';
import { usePipeline, useRunStatus, useUi } from '../hooks.ts';
import { renameDoc } from '../state/commands.ts';
import { DocName } from './DocName.tsx';
import { useEscape } from './useEscape.ts';
import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';
import { replayPlayback, runStateLabel } from '../replay/replayStore.ts';
import { lazy, Suspense } from 'react';

// Feed health (source states, venue names) loads just after the first screen (issue #14).
// Redirect badges show only when a venue is redirected (`?ws.VENUE=` or Settings).
const RedirectBadges = lazy(() =>
  import('./RedirectBadges.tsx').then((m) => ({ default: m.RedirectBadges })),
);
const SourceSummary = lazy(() =>
  import('./SourceSummary.tsx').then((m) => ({ default: m.SourceSummary })),
);

/** Export and share load on first use (YAML, the converter, embedding user definitions). */
const exportDoc = () => import('../io/exportDoc.ts');

/** Title, document name, history, layout, run, import/export/share, help. */
export function TopBar() {
  const studio = useStudio();
  const name = usePipeline((s) => s.doc.name);
  const canUndo = usePipeline((s) => s.past.length > 0);
  const canRedo = usePipeline((s) => s.future.length > 0);
  const status = useRunStatus();
  const share = useUi((s) => s.share);
  const redirected = useStore(studio.endpointStore, (s) => Object.keys(s.overrides).length > 0);
  const running = status.state === 'running';
  // An open replay says what it does (the run goes on while it is paused or at its end).
  const playback = useStore(studio.replayStore, replayPlayback);
  const replaying = running && playback !== undefined;
  const closeShare = () => studio.uiStore.setState({ share: undefined });
  useEscape(closeShare, share !== undefined);
  return (
    <header className="topbar">
      <h1 className="brand">Featurizer Studio</h1>
      <DocName
        key={name}
        value={name}
        onCommit={(n) =>
          studio.pipelineStore.getState().commit(renameDoc(studio.pipelineStore.getState().doc, n))
        }
      />
      <div className="toolbar" role="toolbar" aria-label="Canvas">
        <button
          onClick={() => act.undo(studio)}
          disabled={!canUndo}
          title="Undo (Ctrl+Z)"
          aria-label="Undo"
        >
          ↶
        </button>
        <button
          onClick={() => act.redo(studio)}
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
        >
          ↷
        </button>
        <span className="sep" />
        <button onClick={() => void act.tidy(studio)} title="Tidy layout (L)">
          Tidy
        </button>
        <button onClick={() => studio.canvasApi.current?.fitView()} title="Fit view (F)">
          Fit
        </button>
      </div>
      <div className="run">
        {redirected && (
          <Suspense fallback={null}>
            <RedirectBadges />
          </Suspense>
        )}
        <Suspense fallback={null}>
          <SourceSummary />
        </Suspense>
        <span
          className={`run-state run-${replaying && playback !== 'playing' ? 'paused' : status.state}`}
          data-testid="run-state"
          title={status.message}
        >
          {status.state === 'running'
            ? `${runStateLabel(status.state, playback)}${status.skipped.length ? ` · ${status.skipped.length} skipped` : ''}`
            : status.state}
        </span>
        <button
          className={running ? 'stop' : 'primary'}
          onClick={() => act.toggleRun(studio)}
          title="Run / stop (Ctrl+Enter)"
        >
          {running ? '■ Stop' : '▶ Run'}
        </button>
      </div>
      <div className="toolbar">
        <button onClick={() => studio.uiStore.setState({ importOpen: true })}>Import</button>
        <button
          onClick={() =>
            void exportDoc().then((m) =>
              m.exportPipelineJson(studio, studio.pipelineStore.getState().doc),
            )
          }
          title="Download the pipeline document"
        >
          Export JSON
        </button>
        <button
          onClick={() =>
            void exportDoc().then((m) =>
              m.exportConfigYaml(studio, studio.pipelineStore.getState().doc),
            )
          }
          title="Download as a FeaturizerConfig"
        >
          Export YAML
        </button>
        <button
          onClick={() =>
            void exportDoc().then((m) =>
              m.copyShareLink(studio, studio.pipelineStore.getState().doc),
            )
          }
        >
          Share
        </button>
        <button
          data-testid="settings-open"
          onClick={() => studio.uiStore.setState({ settingsOpen: true })}
          title="Display (time zone, theme) and venue endpoints"
        >
          Settings
        </button>
        <button
          onClick={() => studio.uiStore.setState({ help: true })}
          title="Keyboard shortcuts (?)"
          aria-label="Help"
        >
          ?
        </button>
      </div>
      {share && (
        <div className="popover share-popover">
          <label htmlFor="share-url">Link to this graph</label>
          <input
            id="share-url"
            data-testid="share-url"
            readOnly
            value={share}
            onFocus={(e) => e.target.select()}
          />
          <button onClick={closeShare}>Close</button>
        </div>
      )}
    </header>
  );
}
