import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { addSeries, chartNode } from '../dashboard/chartActions.ts';
import { moveNodes } from '../state/commands.ts';
import type { Studio } from '../studio.ts';

/**
 * A canvas node dragged out onto the dashboard: chart it (as a series of the chart under the
 * pointer, else a new chart) and move the dragged nodes back to where the drag started — the
 * gesture meant "chart this", not "move this". Returns whether it was such a drop.
 */
export function dropNodeOnDashboard(
  studio: Studio,
  e: MouseEvent | TouchEvent | { clientX: number; clientY: number },
  nodeId: string,
  start: PipelineDoc,
): boolean {
  const p = 'changedTouches' in e ? e.changedTouches[0] : e;
  if (!p) return false;
  const hits = document.elementsFromPoint(p.clientX, p.clientY);
  const chart = hits
    .find((h) => h instanceof HTMLElement && h.dataset.chartId)
    ?.closest<HTMLElement>('[data-chart-id]');
  const dash = hits.find((h) => h instanceof HTMLElement && h.dataset.dashboard !== undefined);
  if (!chart && !dash) return false;
  const back = new Map(start.nodes.map((n) => [n.id, n.position ?? { x: 0, y: 0 }]));
  const s = studio.pipelineStore.getState();
  s.preview(moveNodes(s.doc, back));
  if (chart?.dataset.chartId) addSeries(studio, chart.dataset.chartId, nodeId);
  else chartNode(studio, nodeId);
  return true;
}
