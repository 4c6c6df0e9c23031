import { useStore } from 'zustand';
import { useStudio } from '../StudioProvider.tsx';
import type { Studio } from '../studio.ts';

/** One dashboard chart: the nodes it plots, on one time axis. */
export interface ChartSpec {
  readonly id: string;
  readonly nodeIds: readonly string[];
}

/** The studio's panel arrangement and charts, saved in the document's `layout` field. */
export interface StudioLayout {
  readonly charts: readonly ChartSpec[];
  /** History per series, in points (ring capacity). */
  readonly windowPoints: number;
  /** Seconds in view while a chart follows live. */
  readonly windowSec: number;
  /** Where the dashboard docks beside the canvas, or `hidden`. */
  readonly dashboard: 'right' | 'bottom' | 'hidden';
  /** Dashboard size in px (width when right, height when bottom). */
  readonly dashboardSize: number;
  /** The bottom dock's open tab (feed health, combined output, workers) or `closed`. */
  readonly dock: 'feeds' | 'combined' | 'workers' | 'closed';
  readonly dockSize: number;
  readonly inspectorWidth: number;
}

export const DEFAULT_LAYOUT: StudioLayout = {
  charts: [],
  windowPoints: 10_000,
  windowSec: 120,
  dashboard: 'hidden',
  dashboardSize: 340,
  dock: 'closed',
  dockSize: 220,
  inspectorWidth: 300,
};

const cache = new WeakMap<object, StudioLayout>();

/** The document's layout with defaults for anything missing or malformed (it is user data). */
export function readLayout(raw: Readonly<Record<string, unknown>> | undefined): StudioLayout {
  if (!raw) return DEFAULT_LAYOUT;
  const hit = cache.get(raw);
  if (hit) return hit;
  const d = DEFAULT_LAYOUT;
  const num = (k: keyof StudioLayout, lo: number, hi: number): number => {
    const v = raw[k];
    return typeof v === 'number' && v >= lo && v <= hi ? v : (d[k] as number);
  };
  const pick = <T extends string>(k: keyof StudioLayout, ok: readonly T[]): T =>
    ok.includes(raw[k] as T) ? (raw[k] as T) : (d[k] as T);
  const charts = Array.isArray(raw.charts)
    ? raw.charts.filter(
        (c): c is ChartSpec =>
          typeof c === 'object' &&
          c !== null &&
          typeof (c as ChartSpec).id === 'string' &&
          Array.isArray((c as ChartSpec).nodeIds) &&
          (c as ChartSpec).nodeIds.every((n) => typeof n === 'string'),
      )
    : [];
  const out: StudioLayout = {
    charts,
    windowPoints: num('windowPoints', 100, 200_000),
    windowSec: num('windowSec', 5, 86_400),
    dashboard: pick('dashboard', ['right', 'bottom', 'hidden'] as const),
    dashboardSize: num('dashboardSize', 160, 4000),
    dock: pick('dock', ['feeds', 'combined', 'workers', 'closed'] as const),
    dockSize: num('dockSize', 100, 2000),
    inspectorWidth: num('inspectorWidth', 220, 900),
  };
  cache.set(raw, out);
  return out;
}

/** The current layout (stable identity while the document's layout is unchanged). */
export const getLayout = (studio: Studio): StudioLayout =>
  readLayout(studio.pipelineStore.getState().doc.layout);

/** React binding: a slice of the layout (select primitives or stable parts). */
export const useLayout = <T>(sel: (l: StudioLayout) => T): T =>
  useStore(useStudio().pipelineStore, (s) => sel(readLayout(s.doc.layout)));

/**
 * Change the layout. Saved with the document by autosave, but not an undo step: undo is for
 * the pipeline, and rearranging panels should not push edits off the history.
 */
export function setLayout(studio: Studio, patch: Partial<StudioLayout>): void {
  const s = studio.pipelineStore.getState();
  const before = s.doc.layout;
  const after = { ...readLayout(before), ...patch };
  s.preview([{ type: 'setLayout', before, after }]);
}

let chartSeq = 0;
/** A fresh chart id. */
export const newChartId = (): string => `c${Date.now().toString(36)}${(chartSeq++).toString(36)}`;
