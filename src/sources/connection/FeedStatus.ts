/** Lifecycle of one venue connection, as the UI and the CLI show it. */
export type FeedState =
  'idle' | 'connecting' | 'live' | 'resyncing' | 'stale' | 'error' | 'stopped';

/** Counters of one connection since it was started. */
export interface FeedCounters {
  messages: number;
  reconnects: number;
  gaps: number;
  checksumFailures: number;
  malformed: number;
  /** Last and smoothed exchange→receipt latency in seconds (from event timestamps). */
  lastLatencySec: number | null;
  avgLatencySec: number | null;
}

/** A status report of one venue feed, emitted on every state change and readable any time. */
export interface FeedStatus {
  readonly exchange: string;
  /** The venue endpoints this feed connects to. */
  readonly urls: readonly string[];
  readonly state: FeedState;
  /** Why the feed is in `error` / `stale` / `resyncing`, in words a user understands. */
  readonly reason?: string;
  readonly counters: Readonly<FeedCounters>;
  /** Why the latest malformed frame was skipped (names the field), if there was one. */
  readonly lastMalformed?: string;
  /** Receipt time (epoch seconds) of this report. */
  readonly at: number;
}

export function emptyCounters(): FeedCounters {
  return {
    messages: 0,
    reconnects: 0,
    gaps: 0,
    checksumFailures: 0,
    malformed: 0,
    lastLatencySec: null,
    avgLatencySec: null,
  };
}

export const UNAVAILABLE_REASON = 'venue unavailable from this location';
