import type { FeedStatus } from '../../sources/connection/FeedStatus.ts';

/** One venue connection as the feed health panel shows it. */
export interface FeedConnection {
  /** Identity of the connection: exchange and endpoints (what two reports of it share). */
  readonly key: string;
  readonly status: FeedStatus;
  /**
   * How many reports (one per worker that opened it) this row stands for. More than one means
   * several workers each opened the same feed (each worker runs its own copy of the Simulated
   * market, for instance); their counters are added up and the worst state is shown.
   */
  readonly copies: number;
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

/** The identity of a feed report: its exchange and its endpoints (order-insensitive). */
export function connectionKey(f: FeedStatus): string {
  return `${f.exchange}|${[...f.urls].sort().join(' ')}`;
}

/**
 * One row per connection: the runtime reports each worker's feeds, so a feed that two workers
 * open arrives twice; those reports become one row that says how many copies it stands for
 * (counters added, the worst state wins), while two different connections to one exchange (e.g.
 * spot and futures endpoints) stay two rows.
 */
export function feedConnections(feeds: readonly FeedStatus[]): FeedConnection[] {
  const out = new Map<string, FeedConnection>();
  for (const f of feeds) {
    const key = connectionKey(f);
    const row = out.get(key);
    out.set(
      key,
      row
        ? { key, status: merge(row.status, f), copies: row.copies + 1 }
        : { key, status: f, copies: 1 },
    );
  }
  return [...out.values()];
}

function merge(m: FeedStatus, f: FeedStatus): FeedStatus {
  const a = m.counters;
  const b = f.counters;
  const worse = SEVERITY.indexOf(f.state) < SEVERITY.indexOf(m.state) ? f : m;
  const lat = (x: number | null, y: number | null) =>
    x === null ? y : y === null ? x : Math.max(x, y);
  return {
    ...worse,
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
  };
}
