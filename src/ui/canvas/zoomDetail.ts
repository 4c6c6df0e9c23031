import type { ReactFlowState } from '@xyflow/react';

/**
 * Below this zoom, 10-11 px text is under ~5 px on screen: node values, edge labels and
 * sparklines are hidden (`.canvas.is-far` in canvas.css) and stop updating. Edge colours stay.
 */
export const DETAIL_ZOOM = 0.45;

/** A boolean React Flow selector: components re-render only when the zoom crosses DETAIL_ZOOM. */
export const isFar = (s: ReactFlowState): boolean => s.transform[2] < DETAIL_ZOOM;
