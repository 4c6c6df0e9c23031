import * as act from '../actions.ts';
import { usePipeline, useRunStatus, useUi } from '../hooks.ts';
import { copyShareLink, exportConfigYaml, exportPipelineJson } from '../io/exportDoc.ts';
import { renameDoc } from '../state/commands.ts';
import { canvasApi, pipelineStore, uiStore } from '../studio.ts';
import { DocName } from './DocName.tsx';
import { RedirectBadges } from './RedirectBadges.tsx';

const doc = () => pipelineStore.getState().doc;

/** Title, document name, history, layout, run, import/export/share, help. */
export function TopBar() {
  const name = usePipeline((s) => s.doc.name);
  const canUndo = usePipeline((s) => s.past.length > 0);
  const canRedo = usePipeline((s) => s.future.length > 0);
  const status = useRunStatus();
  const share = useUi((s) => s.share);
  const running = status.state === 'running';
  return (
    <header className="topbar">
      <h1 className="brand">Featurizer Studio</h1>
      <DocName
        key={name}
        value={name}
        onCommit={(n) => pipelineStore.getState().commit(renameDoc(doc(), n))}
      />
      <div className="toolbar" role="toolbar" aria-label="Canvas">
        <button onClick={act.undo} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
          ↶
        </button>
        <button
          onClick={act.redo}
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
        >
          ↷
        </button>
        <span className="sep" />
        <button onClick={() => void act.tidy()} title="Tidy layout (L)">
          Tidy
        </button>
        <button onClick={() => canvasApi.current?.fitView()} title="Fit view (F)">
          Fit
        </button>
      </div>
      <div className="run">
        <RedirectBadges />
        <span
          className={`run-state run-${status.state}`}
          data-testid="run-state"
          title={status.message}
        >
          {status.state === 'running'
            ? status.skipped.length
              ? `running · ${status.skipped.length} skipped`
              : 'running'
            : status.state}
        </span>
        <button
          className={running ? 'stop' : 'primary'}
          onClick={act.toggleRun}
          title="Run / stop (Ctrl+Enter)"
        >
          {running ? '■ Stop' : '▶ Run'}
        </button>
      </div>
      <div className="toolbar">
        <button onClick={() => uiStore.setState({ importOpen: true })}>Import</button>
        <button onClick={() => exportPipelineJson(doc())} title="Download the pipeline document">
          Export JSON
        </button>
        <button onClick={() => exportConfigYaml(doc())} title="Download as a FeaturizerConfig">
          Export YAML
        </button>
        <button onClick={() => void copyShareLink(doc())}>Share</button>
        <button
          data-testid="settings-open"
          onClick={() => uiStore.setState({ settingsOpen: true })}
          title="Venue endpoints"
        >
          Settings
        </button>
        <button
          onClick={() => uiStore.setState({ help: true })}
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
          <button onClick={() => uiStore.setState({ share: undefined })}>Close</button>
        </div>
      )}
    </header>
  );
}
