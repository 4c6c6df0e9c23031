import { createStore, type StoreApi } from 'zustand/vanilla';
import { type FeedConnection, feedConnections } from '../dashboard/feedConnections.ts';
import type { RunTelemetry } from '../../session/PipelineRunner.ts';
import { SlidingRates } from '../../runtime/SlidingRate.ts';

/** One feed connection as the health panel shows it, plus a message rate between reports. */
export interface FeedRow extends FeedConnection {
  readonly messagesPerSec: number;
}

export interface TelemetryState {
  readonly telemetry: RunTelemetry | undefined;
  readonly feeds: readonly FeedRow[];
}

/**
 * The latest runner telemetry (≤ 10 Hz): edge labels select their own entry, the feed health
 * panel the feed rows. Cleared when a run stops. `put` stores a report.
 */
export type TelemetryStore = StoreApi<TelemetryState> & {
  put(t: RunTelemetry | undefined): void;
};

/**
 * A telemetry store; `put` derives per-feed message rates from the message counters, over a
 * sliding second like every other rate (`SlidingRate`). `now` (ms) is injectable for tests.
 */
export function createTelemetryStore(now: () => number = () => performance.now()): TelemetryStore {
  const store = createStore<TelemetryState>()(() => ({ telemetry: undefined, feeds: [] }));
  const rates = new SlidingRates<string>();
  const put = (t: RunTelemetry | undefined): void => {
    if (!t) {
      rates.clear();
      store.setState({ telemetry: undefined, feeds: [] });
      return;
    }
    const at = now();
    const rows = feedConnections(t.feeds);
    rates.retain(new Set(rows.map((r) => r.key)));
    const feeds = rows.map((row) => ({
      ...row,
      messagesPerSec: rates.observe(row.key, row.status.counters.messages, at),
    }));
    store.setState({ telemetry: t, feeds });
  };
  return Object.assign(store, { put });
}
