import { createStore, type StoreApi } from 'zustand/vanilla';
import { type FeedConnection, feedConnections } from '../dashboard/feedConnections.ts';
import type { RunTelemetry } from '../../session/PipelineRunner.ts';

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

/** A telemetry store; `put` derives per-feed message rates from counter deltas (smoothed). */
export function createTelemetryStore(): TelemetryStore {
  const store = createStore<TelemetryState>()(() => ({ telemetry: undefined, feeds: [] }));
  const lastSeen = new Map<string, { messages: number; at: number; rate: number }>();
  const put = (t: RunTelemetry | undefined): void => {
    if (!t) {
      lastSeen.clear();
      store.setState({ telemetry: undefined, feeds: [] });
      return;
    }
    const now = performance.now();
    const feeds = feedConnections(t.feeds).map((row) => {
      const { key, status } = row;
      const prev = lastSeen.get(key);
      const m = status.counters.messages;
      let rate = prev?.rate ?? 0;
      if (prev && now > prev.at) {
        const r = Math.max(0, m - prev.messages) / ((now - prev.at) / 1000);
        rate = prev.rate * 0.6 + r * 0.4;
      }
      lastSeen.set(key, { messages: m, at: now, rate });
      return { ...row, messagesPerSec: rate };
    });
    store.setState({ telemetry: t, feeds });
  };
  return Object.assign(store, { put });
}
