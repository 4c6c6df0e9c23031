import { findDefinition } from '../../core/definitions/registry.ts';
import { resolveParams } from '../../core/params/ParamSchema.ts';
import type { Studio } from '../studio.ts';
import { getLayout, newChartId, setLayout } from './layout.ts';

/** The output kind of a node (`l2_snapshot`, `ohlcv`, `scalar`, …), or undefined. */
export function outputKindOf(studio: Studio, nodeId: string): string | undefined {
  const node = studio.pipelineStore.getState().doc.nodes.find((n) => n.id === nodeId);
  const def = node && findDefinition(node.definition);
  if (!node || !def) return undefined;
  return def.outputKind(resolveParams(def.params, node.params).params);
}

/** Books chart alone (a depth ladder has no time axis to share). */
const isBook = (studio: Studio, nodeId: string) => outputKindOf(studio, nodeId) === 'l2_snapshot';

/** Chart `nodeId` in a new chart, and show the dashboard. Returns the chart id. */
export function chartNode(studio: Studio, nodeId: string): string {
  const l = getLayout(studio);
  const id = newChartId();
  setLayout(studio, {
    charts: [...l.charts, { id, nodeIds: [nodeId] }],
    dashboard: l.dashboard === 'hidden' ? 'bottom' : l.dashboard,
  });
  return id;
}

/** Add `nodeId` as a series of chart `chartId` (a book, or a chart of a book, gets its own). */
export function addSeries(studio: Studio, chartId: string, nodeId: string): void {
  const l = getLayout(studio);
  const chart = l.charts.find((c) => c.id === chartId);
  if (!chart || isBook(studio, nodeId) || chart.nodeIds.some((n) => isBook(studio, n))) {
    chartNode(studio, nodeId);
    return;
  }
  if (chart.nodeIds.includes(nodeId)) return;
  setLayout(studio, {
    charts: l.charts.map((c) => (c.id === chartId ? { ...c, nodeIds: [...c.nodeIds, nodeId] } : c)),
  });
}

export function removeSeries(studio: Studio, chartId: string, nodeId: string): void {
  const l = getLayout(studio);
  setLayout(studio, {
    charts: l.charts
      .map((c) => (c.id === chartId ? { ...c, nodeIds: c.nodeIds.filter((n) => n !== nodeId) } : c))
      .filter((c) => c.nodeIds.length > 0),
  });
}

export function removeChart(studio: Studio, chartId: string): void {
  setLayout(studio, { charts: getLayout(studio).charts.filter((c) => c.id !== chartId) });
}

/** MIME type of a node dragged from the canvas (its chart grip) onto the dashboard. */
export const NODE_MIME = 'application/x-featurizer-node';
