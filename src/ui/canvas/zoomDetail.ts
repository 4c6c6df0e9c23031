import type { ReactFlowState } from '@xyflow/react';
import { createContext } from 'react';

/**
 * Below this zoom, 10-11 px text is under ~5 px on screen: node values, edge labels and
 * sparklines are hidden (`.canvas.is-far` in canvas.css) and stop updating. Edge colours stay.
 */
export const DETAIL_ZOOM = 0.45;

/** A boolean React Flow selector: components re-render only when the zoom crosses DETAIL_ZOOM. */
export const isFar = (s: ReactFlowState): boolean => s.transform[2] < DETAIL_ZOOM;

/**
 * Whether the canvas is zoomed out past legibility, for node components: the canvas selects it
 * once from React Flow's store and provides it here. One subscription instead of one per node:
 * React Flow's store changes on every drag and pan frame, and 200 node selectors run per change
 * were the largest script cost of a drag at fit view (issue #14, target 6).
 */
export const FarContext = createContext(false);
