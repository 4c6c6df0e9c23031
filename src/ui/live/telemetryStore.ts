import { createStore } from 'zustand/vanilla';
import type { FeedStatus } from '../../sources/connection/FeedStatus.ts';
import type { RunTelemetry } from '../run/PipelineRunner.ts';

/** One feed as the health panel shows it: the status plus a message rate between reports. */
export interface FeedRow {
  readonly status: FeedStatus;
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
  const feeds = mergeByExchange(t.feeds).map((status) => {
    const prev = lastSeen.get(status.exchange);
    const m = status.counters.messages;
    let rate = prev?.rate ?? 0;
    if (prev && now > prev.at) {
      const r = Math.max(0, m - prev.messages) / ((now - prev.at) / 1000);
      rate = prev.rate * 0.6 + r * 0.4;
    }
    lastSeen.set(status.exchange, { messages: m, at: now, rate });
    return { status, messagesPerSec: rate };
  });
  telemetryStore.setState({ telemetry: t, feeds });
}

const SEVERITY: readonly FeedStatus['state'][] = [
  'error',
  'stale',
  'resyncing',
  'connecting',
  'idle',
  'stopped',
  'live',
];

/**
 * One row per exchange: workers each report their own connection to a venue (SIM per worker),
 * but a user asks "how is Kraken doing" — counters add up, the worst state wins.
 */
export function mergeByExchange(feeds: readonly FeedStatus[]): FeedStatus[] {
  const out = new Map<string, FeedStatus>();
  for (const f of feeds) {
    const m = out.get(f.exchange);
    if (!m) {
      out.set(f.exchange, f);
      continue;
    }
    const a = m.counters;
    const b = f.counters;
    const worse = SEVERITY.indexOf(f.state) < SEVERITY.indexOf(m.state) ? f : m;
    const lat = (x: number | null, y: number | null) =>
      x === null ? y : y === null ? x : Math.max(x, y);
    out.set(f.exchange, {
      ...worse,
      urls: [...m.urls, ...f.urls],
      at: Math.max(m.at, f.at),
      counters: {
        messages: a.messages + b.messages,
        reconnects: a.reconnects + b.reconnects,
        gaps: a.gaps + b.gaps,
        checksumFailures: a.checksumFailures + b.checksumFailures,
        malformed: a.malformed + b.malformed,
        lastLatencySec: lat(a.lastLatencySec, b.lastLatencySec),
        avgLatencySec: lat(a.avgLatencySec, b.avgLatencySec),
      },
    });
  }
  return [...out.values()];
}
