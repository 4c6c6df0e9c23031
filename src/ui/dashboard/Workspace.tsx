import { lazy, Suspense, useEffect } from 'react';
import './dashboard.css';
// In the entry's CSS, in the order it always had (the canvas module itself loads later).
import '../canvas/canvas.css';
import { preloadAddNode } from '../actions.ts';
import { Dock } from './Dock.tsx';
import { setLayout, useLayout } from './layout.ts';
import { Splitter } from './Splitter.tsx';
import { useStudio } from '../StudioProvider.tsx';

// The dashboard (uPlot charts, book cards) loads after the first screen: the canvas shows the
// pipeline and its live values first. Its module brings uPlot and uPlot's CSS with it.
// The canvas (React Flow, d3, the node components) loads beside the first screen, not in it
// (issue #14): the shell — header, palette, guide, inspector — paints first, with a
// "Loading canvas…" placeholder where the canvas goes.
const canvasModule = () => import('../canvas/PipelineCanvas.tsx');
const LoadedCanvas = lazy(() => canvasModule().then((m) => ({ default: m.LoadedCanvas })));
const Dashboard = lazy(() => import('./Dashboard.tsx').then((m) => ({ default: m.Dashboard })));

/**
 * The centre of the studio: the canvas, the dashboard docked right or below it, and the bottom
 * dock (feed health, combined output); splitters resize them and the inspector. Sizes live in CSS
 * variables on the studio root, from the document's layout (so they are saved and restored).
 */
export function Workspace({ ready }: { ready: boolean }) {
  const studio = useStudio();
  const where = useLayout((l) => l.dashboard);
  const dashSize = useLayout((l) => l.dashboardSize);
  const dock = useLayout((l) => l.dock);
  const dockSize = useLayout((l) => l.dockSize);
  const inspector = useLayout((l) => l.inspectorWidth);
  // Fetch the canvas while storage opens (boot), not after: it renders once both are ready. The
  // definitions come with it, so an add from the palette is immediate by the time one can click.
  useEffect(() => {
    void canvasModule();
    void preloadAddNode();
  }, []);
  useEffect(() => {
    const root = document.querySelector<HTMLElement>('.studio');
    root?.style.setProperty('--inspector-w', `${inspector}px`);
    root?.style.setProperty('--dash-size', `${dashSize}px`);
    root?.style.setProperty('--dock-size', `${dockSize}px`);
  }, [inspector, dashSize, dockSize]);
  return (
    <div className={`workspace dash-${where}`}>
      <div className="work-main">
        {ready ? (
          <Suspense fallback={<CanvasLoading />}>
            <LoadedCanvas />
          </Suspense>
        ) : (
          <CanvasLoading />
        )}
        {where !== 'hidden' && (
          <>
            <Splitter
              axis={where === 'right' ? 'x' : 'y'}
              cssVar="--dash-size"
              size={dashSize}
              sign={-1}
              min={200}
              max={2400}
              onCommit={(s) => setLayout(studio, { dashboardSize: s })}
              label="Resize dashboard"
            />
            <Suspense fallback={<section className="panel dashboard" aria-busy="true" />}>
              <Dashboard />
            </Suspense>
          </>
        )}
      </div>
      {dock !== 'closed' && (
        <Splitter
          axis="y"
          cssVar="--dock-size"
          size={dockSize}
          sign={-1}
          min={100}
          max={1200}
          onCommit={(s) => setLayout(studio, { dockSize: s })}
          label="Resize dock"
        />
      )}
      <Dock />
      <div className="inspector-splitter">
        <Splitter
          axis="x"
          cssVar="--inspector-w"
          size={inspector}
          sign={-1}
          min={220}
          max={900}
          onCommit={(s) => setLayout(studio, { inspectorWidth: s })}
          label="Resize inspector"
        />
      </div>
    </div>
  );
}

/** Where the canvas goes while its module (or the stored pipeline) loads. */
function CanvasLoading() {
  return (
    <div className="canvas canvas-loading" aria-busy="true">
      <span>Loading canvas…</span>
    </div>
  );
}
