import type { Event, Level } from '../../core/events.ts';
import { SeriesRing } from '../charts/SeriesRing.ts';
import type { FeedMarker, NodeEvents } from '../../session/PipelineRunner.ts';

/** Default history per charted series (points); the dashboard's window setting overrides it. */
export const DEFAULT_CAPACITY = 10_000;
/** Markers kept (oldest dropped): a flapping feed must not grow the list without bound. */
const MAX_MARKERS = 500;

/** The latest order-book snapshot of a charted `l2_snapshot` node. */
export interface BookState {
  bids: readonly Level[];
  asks: readonly Level[];
  t: number;
  version: number;
}

/**
 * Where runner batches land on the main thread, outside React: a {@link SeriesRing} per charted
 * node (books keep their latest snapshot), each node's latest scalar for sparklines, and the feed
 * markers. Charts and sparklines pull from here on their own clocks (rAF, 10 Hz); nothing here
 * renders or notifies per event.
 */
export class LiveHub {
  private readonly rings = new Map<string, SeriesRing>();
  private readonly books = new Map<string, BookState>();
  private charted = new Set<string>();
  private capacity = DEFAULT_CAPACITY;
  /** Latest plottable number per node (close for bars, mid for books), for sparklines. */
  readonly scalars = new Map<string, number>();
  markers: FeedMarker[] = [];
  markersVersion = 0;

  onBatch(batch: readonly NodeEvents[]): void {
    for (const { nodeId, events } of batch) {
      const last = events[events.length - 1];
      if (!last) continue;
      const s = scalarOf(last);
      if (s !== undefined) this.scalars.set(nodeId, s);
      if (!this.charted.has(nodeId)) continue;
      if (Array.isArray(last.bids)) {
        const b = this.books.get(nodeId);
        this.books.set(nodeId, {
          bids: last.bids as Level[],
          asks: (last.asks ?? []) as Level[],
          t: last.timestamp,
          version: (b?.version ?? 0) + 1,
        });
        continue;
      }
      let ring = this.rings.get(nodeId);
      if (!ring)
        this.rings.set(nodeId, (ring = new SeriesRing(SeriesRing.fieldsOf(last), this.capacity)));
      for (const e of events) ring.push(e);
    }
  }

  onMarker(m: FeedMarker): void {
    this.markers.push(m);
    if (this.markers.length > MAX_MARKERS)
      this.markers.splice(0, this.markers.length - MAX_MARKERS);
    this.markersVersion++;
  }

  /** Keep history only for these nodes, `capacity` points each (a new capacity starts afresh). */
  setCharted(nodeIds: readonly string[], capacity: number): void {
    if (capacity !== this.capacity) {
      this.capacity = capacity;
      this.rings.clear();
    }
    this.charted = new Set(nodeIds);
    for (const id of [...this.rings.keys()]) if (!this.charted.has(id)) this.rings.delete(id);
    for (const id of [...this.books.keys()]) if (!this.charted.has(id)) this.books.delete(id);
  }

  ring(nodeId: string): SeriesRing | undefined {
    return this.rings.get(nodeId);
  }

  book(nodeId: string): BookState | undefined {
    return this.books.get(nodeId);
  }

  /**
   * Replay time went back to `t` (seek or loop wrap): every chart's window is cut at `t`, so the
   * next pass draws from there instead of piling up at the old end.
   */
  rewind(t: number): void {
    for (const ring of this.rings.values()) ring.rewind(t);
  }

  /** A new run: old history would mislead (windows restarted), old markers too. */
  clear(): void {
    this.rings.clear();
    this.books.clear();
    this.scalars.clear();
    this.markers = [];
    this.markersVersion++;
  }
}

/** The one number a sparkline shows for an event. */
export function scalarOf(e: Event): number | undefined {
  if (Array.isArray(e.bids)) {
    const b = (e.bids as Level[])[0]?.[0];
    const a = ((e.asks ?? []) as Level[])[0]?.[0];
    return b !== undefined && a !== undefined ? (a + b) / 2 : (b ?? a);
  }
  if (typeof e.close === 'number') return e.close;
  for (const k in e) {
    const v = e[k];
    if (k !== 'timestamp' && k !== 'receipt_timestamp' && typeof v === 'number') return v;
  }
  return undefined;
}
