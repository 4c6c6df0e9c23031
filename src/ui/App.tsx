import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect } from 'react';
import { Workspace } from './dashboard/Workspace.tsx';
import { useStudio, useUi } from './hooks.ts';
import { boot } from './io/persistence.ts';
import { installShortcuts } from './keyboard.ts';
import { useApplyTheme } from './theme.ts';
import { ErrorBoundary } from './panels/ErrorBoundary.tsx';
import { HelpPanel } from './panels/HelpPanel.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { PipelinesPanel } from './panels/PipelinesPanel.tsx';
import { TopBar } from './panels/TopBar.tsx';
import { CompareBanner } from './replay/CompareBanner.tsx';
import { ReplayTimeline } from './replay/ReplayTimeline.tsx';
import type { Studio } from './studio.ts';
import { FeatureEditorHost } from './userdefs/FeatureEditorHost.tsx';
import { TrustDialog } from './userdefs/TrustDialog.tsx';

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
const RecordingsPanel = lazy(() =>
  import('./replay/RecordingsPanel.tsx').then((m) => ({ default: m.RecordingsPanel })),
);

const TAB_LABELS = {
  nodes: 'Nodes',
  pipelines: 'Pipelines',
  cluster: 'Cluster',
  recordings: 'Recordings',
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
  useEffect(() => installShortcuts(studio), [studio]);
  useApplyTheme();
  useEffect(() => {
    if (booted.has(studio)) return;
    booted.add(studio);
    boot(studio).catch((e: unknown) =>
      studio.toast(`Could not open storage: ${String(e)}`, 'error'),
    );
  }, [studio]);
  return (
    <ReactFlowProvider>
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
              >
                {TAB_LABELS[t]}
              </button>
            ))}
          </div>
          <ErrorBoundary area="sidebar">
            {sidebar === 'nodes' ? (
              <Palette />
            ) : sidebar === 'pipelines' ? (
              <PipelinesPanel />
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
        <ErrorBoundary area="timeline">
          <ReplayTimeline />
        </ErrorBoundary>
        <CompareBanner />
        <HelpPanel />
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
        <TrustDialog />
      </div>
    </ReactFlowProvider>
  );
}
