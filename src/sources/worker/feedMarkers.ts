import type { FeedStatus } from '../connection/FeedStatus.ts';

/** A feed incident, shaped like the studio's `FeedMarker` (sources may not import ui). */
export interface FeedIncident {
  readonly kind: 'gap' | 'reconnect' | 'disconnect';
  readonly exchange: string;
  /** Epoch seconds (receipt time of the status report). */
  readonly ts: number;
  readonly detail?: string;
}

/**
 * Turns a venue feed's status reports into incidents by diffing consecutive reports: the gap and
 * reconnect counters going up, and a live feed dropping out of `live`. Called on status changes
 * only (a handful a minute), never per event.
 */
export function feedIncidents(report: (m: FeedIncident) => void): (s: FeedStatus) => void {
  const last = new Map<string, FeedStatus>();
  return (s) => {
    const prev = last.get(s.exchange);
    last.set(s.exchange, s);
    if (!prev) return;
    const base = { exchange: s.exchange, ts: s.at, ...(s.reason ? { detail: s.reason } : {}) };
    if (s.counters.gaps > prev.counters.gaps) report({ kind: 'gap', ...base });
    if (s.counters.reconnects > prev.counters.reconnects) report({ kind: 'reconnect', ...base });
    const down = s.state === 'error' || s.state === 'stale' || s.state === 'connecting';
    if (prev.state === 'live' && down) report({ kind: 'disconnect', ...base });
  };
}
