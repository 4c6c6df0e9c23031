import { createStore } from 'zustand/vanilla';
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
 * panel the feed rows. Cleared when a run stops.
 */
export const telemetryStore = createStore<TelemetryState>()(() => ({
  telemetry: undefined,
  feeds: [],
}));

const lastSeen = new Map<string, { messages: number; at: number; rate: number }>();

/** Store a report, deriving per-feed message rates from counter deltas (smoothed). */
export function putTelemetry(t: RunTelemetry | undefined): void {
  if (!t) {
    lastSeen.clear();
    telemetryStore.setState({ telemetry: undefined, feeds: [] });
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
  telemetryStore.setState({ telemetry: t, feeds });
}
