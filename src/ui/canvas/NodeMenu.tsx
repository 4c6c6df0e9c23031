import { useCallback, useEffect } from 'react';
import { useStore } from 'zustand';
import { addSeries, chartNode } from '../dashboard/chartActions.ts';
import { useLayout } from '../dashboard/layout.ts';
import { useStudio } from '../StudioProvider.tsx';

/** A node's context menu: chart it, or add it to an existing chart. */
export function NodeMenu() {
  const studio = useStudio();
  const { nodeMenuStore } = studio;
  const menu = useStore(nodeMenuStore, (s) => s.menu);
  const close = useCallback(() => nodeMenuStore.setState({ menu: undefined }), [nodeMenuStore]);
  const charts = useLayout((l) => l.charts);
  useEffect(() => {
    if (!menu) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    addEventListener('pointerdown', close);
    addEventListener('keydown', onKey);
    return () => {
      removeEventListener('pointerdown', close);
      removeEventListener('keydown', onKey);
    };
  }, [menu, close]);
  if (!menu) return null;
  const run = (f: () => void) => () => {
    f();
    close();
  };
  return (
    <div
      className="context-menu"
      role="menu"
      style={{ left: menu.x, top: menu.y }}
      onPointerDown={(e) => e.stopPropagation()}
    >
      <button role="menuitem" onClick={run(() => chartNode(studio, menu.nodeId))}>
        Chart
      </button>
      {charts.map((c, i) => (
        <button
          key={c.id}
          role="menuitem"
          onClick={run(() => addSeries(studio, c.id, menu.nodeId))}
        >
          Add to chart {i + 1} <span className="muted">({c.nodeIds.join(', ')})</span>
        </button>
      ))}
    </div>
  );
}
