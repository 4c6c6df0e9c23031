import * as act from '../actions.ts';
import { usePipeline, useRunStatus, useUi } from '../hooks.ts';
import { copyShareLink, exportConfigYaml, exportPipelineJson } from '../io/exportDoc.ts';
import { renameDoc } from '../state/commands.ts';
import { DocName } from './DocName.tsx';
import { RedirectBadges } from './RedirectBadges.tsx';
import { useEscape } from './useEscape.ts';
import { useStore } from 'zustand';
import { sourceLabel } from '../../session/sourceStates.ts';
import { venueName } from '../canvas/SourceBadge.tsx';
import { sourceHealthOf } from '../canvas/useSourceHealth.ts';
import { useStudio } from '../StudioProvider.tsx';

/** Title, document name, history, layout, run, import/export/share, help. */
export function TopBar() {
  const studio = useStudio();
  const name = usePipeline((s) => s.doc.name);
  const canUndo = usePipeline((s) => s.past.length > 0);
  const canRedo = usePipeline((s) => s.future.length > 0);
  const status = useRunStatus();
  const share = useUi((s) => s.share);
  const running = status.state === 'running';
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
        <RedirectBadges />
        <SourceSummary />
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
          onClick={() => act.toggleRun(studio)}
          title="Run / stop (Ctrl+Enter)"
        >
          {running ? '■ Stop' : '▶ Run'}
        </button>
      </div>
      <div className="toolbar">
        <button onClick={() => studio.uiStore.setState({ importOpen: true })}>Import</button>
        <button
          onClick={() => exportPipelineJson(studio, studio.pipelineStore.getState().doc)}
          title="Download the pipeline document"
        >
          Export JSON
        </button>
        <button
          onClick={() => exportConfigYaml(studio, studio.pipelineStore.getState().doc)}
          title="Download as a FeaturizerConfig"
        >
          Export YAML
        </button>
        <button onClick={() => void copyShareLink(studio, studio.pipelineStore.getState().doc)}>
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

/**
 * The sources of the live run that are not live, one phrase each ("KRAKEN failed · Simulated
 * market stale"), their reasons in the tooltip: "running" alone must not hide a dead feed.
 */
function SourceSummary() {
  const studio = useStudio();
  const read = (): string => {
    const seen = new Map<string, string>();
    for (const h of sourceHealthOf(studio).values())
      if (h.own && h.state !== 'live' && !seen.has(h.exchange))
        seen.set(h.exchange, `${venueName(h.exchange)} ${h.state}\t${sourceLabel(h)}`);
    return [...seen.values()].join('\n');
  };
  useStore(studio.telemetryStore, read);
  useStore(studio.runController.status, read);
  useStore(studio.pipelineStore, read);
  useStore(studio.endpointStore, read);
  const k = useStore(studio.replayStore, read);
  if (!k) return null;
  const rows = k.split('\n').map((r) => r.split('\t') as [string, string]);
  const worst = rows.some(([t]) => t.endsWith(' failed'))
    ? 'failed'
    : rows.some(([t]) => t.endsWith(' stale'))
      ? 'stale'
      : 'connecting';
  return (
    <span
      className={`source-summary src-${worst}`}
      data-testid="source-summary"
      title={rows.map(([t, why]) => `${t.slice(0, t.lastIndexOf(' '))}: ${why}`).join('\n')}
    >
      {rows.map(([t]) => t).join(' · ')}
    </span>
  );
}
