import { createStore } from 'zustand/vanilla';
import type { Event } from '../../core/events.ts';

/**
 * Latest output event per node id, written by the runner's coalescer (≤ ~10 Hz), read by each
 * node through a selector on its own id — so one value changing re-renders one node, and no
 * per-event work ever reaches React. Maps, not objects: node ids are user text, and an id such
 * as `constructor` or `__proto__` must never resolve to an `Object.prototype` member.
 */
export interface ValuesState {
  readonly values: ReadonlyMap<string, Event>;
  /** Events per second per node over the last flush window (for the node's rate badge). */
  readonly rates: ReadonlyMap<string, number>;
}

export function createValuesStore() {
  return createStore<ValuesState>()(() => ({ values: new Map(), rates: new Map() }));
}

export type ValuesStore = ReturnType<typeof createValuesStore>;
