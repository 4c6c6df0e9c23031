import { useEffect } from 'react';
import { create } from 'zustand';
import { addSeries, chartNode } from '../dashboard/chartActions.ts';
import { useLayout } from '../dashboard/layout.ts';

/** The open context menu: which node, where on screen. */
export const nodeMenuStore = create<{ menu: { nodeId: string; x: number; y: number } | undefined }>(
  () => ({ menu: undefined }),
);

const close = () => nodeMenuStore.setState({ menu: undefined });

/** A node's context menu: chart it, or add it to an existing chart. */
export function NodeMenu() {
  const menu = nodeMenuStore((s) => s.menu);
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
  }, [menu]);
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
      <button role="menuitem" onClick={run(() => chartNode(menu.nodeId))}>
        Chart
      </button>
      {charts.map((c, i) => (
        <button key={c.id} role="menuitem" onClick={run(() => addSeries(c.id, menu.nodeId))}>
          Add to chart {i + 1} <span className="muted">({c.nodeIds.join(', ')})</span>
        </button>
      ))}
    </div>
  );
}
