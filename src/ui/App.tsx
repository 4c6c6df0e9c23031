import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { Workspace } from './dashboard/Workspace.tsx';
import { useStudio, useUi } from './hooks.ts';
import { boot } from './io/persistence.ts';
import { installShortcuts } from './keyboard.ts';
import { useApplyTheme } from './theme.ts';
import { ErrorBoundary } from './panels/ErrorBoundary.tsx';
import { HelpPanel } from './panels/HelpPanel.tsx';
import { ImportDialog } from './panels/ImportDialog.tsx';
import { SettingsDialog } from './settings/SettingsDialog.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { Palette } from './panels/Palette.tsx';
import { PipelinesPanel } from './panels/PipelinesPanel.tsx';
import { TopBar } from './panels/TopBar.tsx';
import { CompareBanner } from './replay/CompareBanner.tsx';
import { RecordingsPanel } from './replay/RecordingsPanel.tsx';
import { ReplayTimeline } from './replay/ReplayTimeline.tsx';
import type { Studio } from './studio.ts';

/** Studios already booted: once per studio, even under StrictMode's double effects. */
const booted = new WeakSet<Studio>();

/** The studio: top bar, palette / pipelines sidebar, canvas, inspector. */
export function App() {
  const studio = useStudio();
  const sidebar = useUi((s) => s.sidebar);
  const ready = useUi((s) => s.ready);
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
            {(['nodes', 'pipelines', 'recordings'] as const).map((t) => (
              <button
                key={t}
                role="tab"
                aria-selected={sidebar === t}
                className={sidebar === t ? 'active' : ''}
                onClick={() => studio.uiStore.setState({ sidebar: t })}
              >
                {t === 'nodes' ? 'Nodes' : t === 'pipelines' ? 'Pipelines' : 'Recordings'}
              </button>
            ))}
          </div>
          <ErrorBoundary area="sidebar">
            {sidebar === 'nodes' ? (
              <Palette />
            ) : sidebar === 'pipelines' ? (
              <PipelinesPanel />
            ) : (
              <RecordingsPanel />
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
        <ImportDialog />
        <SettingsDialog />
      </div>
    </ReactFlowProvider>
  );
}
