import { lazy, Suspense, useEffect } from 'react';
import { Workspace } from './dashboard/Workspace.tsx';
import { useStudio, useUi } from './hooks.ts';
import { boot } from './io/persistence.ts';
import { useApplyTheme } from './theme.ts';
import { ErrorBoundary } from './panels/ErrorBoundary.tsx';
import { useStore } from 'zustand';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { TopBar } from './panels/TopBar.tsx';
import type { Studio } from './studio.ts';
import { FeatureEditorHost } from './userdefs/FeatureEditorHost.tsx';

// Loaded when first shown, not with the first screen (issue #14: a light page). The recordings
// tab brings the recording import/export code (decoder, Parquet writer on demand).
const SettingsDialog = lazy(() =>
  import('./settings/SettingsDialog.tsx').then((m) => ({ default: m.SettingsDialog })),
);
const ImportDialog = lazy(() =>
  import('./panels/ImportDialog.tsx').then((m) => ({ default: m.ImportDialog })),
);
// The Cluster tab brings the NATS client: loaded only when opened.
const ClusterPanel = lazy(() =>
  import('./cluster/ClusterPanel.tsx').then((m) => ({ default: m.ClusterPanel })),
);
const PipelinesPanel = lazy(() =>
  import('./panels/PipelinesPanel.tsx').then((m) => ({ default: m.PipelinesPanel })),
);
// Shown only in some states (help open, a replay or a comparison open, code to review): each
// loads the first time its state comes, behind a gate that reads that state.
const HelpPanel = lazy(() =>
  import('./panels/HelpPanel.tsx').then((m) => ({ default: m.HelpPanel })),
);
const ReplayTimeline = lazy(() =>
  import('./replay/ReplayTimeline.tsx').then((m) => ({ default: m.ReplayTimeline })),
);
const CompareBanner = lazy(() =>
  import('./replay/CompareBanner.tsx').then((m) => ({ default: m.CompareBanner })),
);
const TrustDialog = lazy(() =>
  import('./userdefs/TrustDialog.tsx').then((m) => ({ default: m.TrustDialog })),
);
const RecordingsPanel = lazy(() =>
  import('./replay/RecordingsPanel.tsx').then((m) => ({ default: m.RecordingsPanel })),
);

/**
 * Sidebar tabs: an icon each, and the name beside the open tab's only. Four names do not fit the
 * sidebar's width (they read "No…", "Pipeli…"); every tab keeps its name as its accessible name
 * and tooltip.
 */
const TABS = {
  nodes: { label: 'Nodes', icon: '⊞' },
  pipelines: { label: 'Pipelines', icon: '☰' },
  cluster: { label: 'Cluster', icon: '⬢' },
  recordings: { label: 'Recordings', icon: '●' },
} as const;

/** Studios already booted: once per studio, even under StrictMode's double effects. */
const booted = new WeakSet<Studio>();

/** The studio: top bar, palette / pipelines sidebar, canvas, inspector. */
export function App() {
  const studio = useStudio();
  const sidebar = useUi((s) => s.sidebar);
  const ready = useUi((s) => s.ready);
  const settingsOpen = useUi((s) => s.settingsOpen);
  const importOpen = useUi((s) => s.importOpen);
  const help = useUi((s) => s.help);
  const replayOpen = useStore(studio.replayStore, (s) => !!s.controller || !!s.busy);
  const comparing = useStore(studio.recordingUi.compareStore, (s) => s.busy || !!s.result);
  const carriesCode = useStore(studio.pipelineStore, (s) => (s.doc.definitions?.length ?? 0) > 0);
  const reviewing = useStore(studio.userDefs, (s) => s.review !== undefined);
  useEffect(() => {
    // The shortcut table loads beside the first screen (issue #14).
    let off: (() => void) | undefined;
    let gone = false;
    void import('./keyboard.ts').then((m) => {
      if (!gone) off = m.installShortcuts(studio);
    });
    return () => {
      gone = true;
      off?.();
    };
  }, [studio]);
  useApplyTheme();
  useEffect(() => {
    if (booted.has(studio)) return;
    booted.add(studio);
    boot(studio).catch((e: unknown) =>
      studio.toast(`Could not open storage: ${String(e)}`, 'error'),
    );
  }, [studio]);
  return (
    <div className="studio">
      <TopBar />
      <nav className="sidebar">
        <div className="tabs" role="tablist">
          {(['nodes', 'pipelines', 'cluster', 'recordings'] as const).map((t) => (
            <button
              key={t}
              role="tab"
              aria-selected={sidebar === t}
              className={sidebar === t ? 'active' : ''}
              onClick={() => studio.uiStore.setState({ sidebar: t })}
              aria-label={TABS[t].label}
              title={TABS[t].label}
            >
              <span className={`tab-icon tab-${t}`} aria-hidden="true">
                {TABS[t].icon}
              </span>
              {sidebar === t && <span className="tab-label">{TABS[t].label}</span>}
            </button>
          ))}
        </div>
        <ErrorBoundary area="sidebar">
          {sidebar === 'nodes' ? (
            <Palette />
          ) : sidebar === 'pipelines' ? (
            <Suspense fallback={null}>
              <PipelinesPanel />
            </Suspense>
          ) : sidebar === 'cluster' ? (
            <Suspense fallback={null}>
              <ClusterPanel />
            </Suspense>
          ) : (
            <Suspense fallback={null}>
              <RecordingsPanel />
            </Suspense>
          )}
        </ErrorBoundary>
      </nav>
      <ErrorBoundary area="workspace" gridArea="canvas">
        <Workspace ready={ready} />
      </ErrorBoundary>
      <ErrorBoundary area="inspector" gridArea="inspector">
        <Inspector />
      </ErrorBoundary>
      {replayOpen && (
        <ErrorBoundary area="timeline">
          <Suspense fallback={null}>
            <ReplayTimeline />
          </Suspense>
        </ErrorBoundary>
      )}
      {comparing && (
        <Suspense fallback={null}>
          <CompareBanner />
        </Suspense>
      )}
      {help && (
        <Suspense fallback={null}>
          <HelpPanel />
        </Suspense>
      )}
      {importOpen && (
        <Suspense fallback={null}>
          <ImportDialog />
        </Suspense>
      )}
      {settingsOpen && (
        <Suspense fallback={null}>
          <SettingsDialog />
        </Suspense>
      )}
      <FeatureEditorHost />
      {(carriesCode || reviewing) && (
        <Suspense fallback={null}>
          <TrustDialog />
        </Suspense>
      )}
    </div>
  );
}
