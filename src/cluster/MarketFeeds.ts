import type { FeedMarker } from '../session/PipelineRunner.ts';
import {
  emptyCounters,
  type FeedCounters,
  type FeedStatus,
} from '../sources/connection/FeedStatus.ts';
import { MARKET_STREAM, token } from './names.ts';

/** No market message for this long: the feed is stale (a live venue sends several a second). */
export const STALE_MS = 10_000;

interface Venue {
  readonly exchange: string;
  counters: FeedCounters;
  /** Arrival (ms) of the last message seen, live or the stream's last at open. */
  lastMs: number | undefined;
  /** Set by a disconnect marker until the next connect marker. */
  down: string | undefined;
  connects: number;
}

/**
 * Feed health of a cluster pipeline's sources, from the market stream itself: one entry per
 * venue with its message count, gaps and reconnects (from the `gap`/`connect`/`disconnect`
 * markers `featurizer ingest` writes), and its state from the last message's age. Counters
 * start when the pipeline is opened, as a local run's start with the run. Pure: the caller
 * feeds messages (`md.<venue>.<symbol>` subjects) and arrival times.
 */
export class MarketFeeds {
  private readonly venues = new Map<string, Venue>();

  constructor(exchanges: readonly string[]) {
    for (const exchange of exchanges)
      this.venues.set(token(exchange), {
        exchange,
        counters: emptyCounters(),
        lastMs: undefined,
        down: undefined,
        connects: 0,
      });
  }

  /** The subject filters to watch: one per venue. */
  get subjects(): string[] {
    return [...this.venues.keys()].map((v) => `md.${v}.>`);
  }

  /** The stream's last message of a venue, read at open (its store time, ms). */
  seed(subject: string, storedMs: number): void {
    const v = this.venueOf(subject);
    if (v) v.lastMs = Math.max(v.lastMs ?? -Infinity, storedMs);
  }

  /** One live market message; returns the chart marker it carries, if any. */
  message(subject: string, text: string, nowMs: number): FeedMarker | undefined {
    const v = this.venueOf(subject);
    if (!v) return undefined;
    v.counters.messages++;
    v.lastMs = nowMs;
    // Markers are rare: parse only lines that may be one.
    if (!text.includes('"marker"')) return undefined;
    let line: { marker?: unknown; receipt_timestamp?: unknown; symbol?: unknown; detail?: unknown };
    try {
      line = JSON.parse(text) as typeof line;
    } catch {
      v.counters.malformed++;
      return undefined;
    }
    const ts = typeof line.receipt_timestamp === 'number' ? line.receipt_timestamp : nowMs / 1000;
    const symbol = typeof line.symbol === 'string' ? line.symbol : undefined;
    const detail = typeof line.detail === 'string' ? line.detail : undefined;
    const mark = (kind: FeedMarker['kind']): FeedMarker => ({
      kind,
      exchange: v.exchange,
      ts,
      ...(symbol !== undefined ? { symbol } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
    if (line.marker === 'gap') {
      v.counters.gaps++;
      return mark('gap');
    }
    if (line.marker === 'disconnect') {
      v.down = detail ?? 'the ingest lost its venue connection';
      return mark('disconnect');
    }
    if (line.marker === 'connect') {
      v.down = undefined;
      if (v.connects++ > 0) {
        v.counters.reconnects++;
        return mark('reconnect');
      }
    }
    return undefined;
  }

  /** Every venue's status now. */
  statuses(nowMs: number): FeedStatus[] {
    return [...this.venues.entries()].map(([tok, v]) => {
      const age = v.lastMs === undefined ? undefined : nowMs - v.lastMs;
      const base = {
        exchange: v.exchange,
        urls: [`${MARKET_STREAM} md.${tok}.>`],
        counters: { ...v.counters },
        at: nowMs / 1000,
      };
      if (v.down !== undefined)
        return { ...base, state: 'error' as const, reason: `disconnected: ${v.down}` };
      if (age === undefined)
        return {
          ...base,
          state: 'stale' as const,
          reason: 'no message of this venue in the market stream',
        };
      if (age > STALE_MS)
        return {
          ...base,
          state: 'stale' as const,
          reason: `no market message for ${ageText(age)} (is featurizer ingest running?)`,
        };
      return { ...base, state: 'live' as const };
    });
  }

  private venueOf(subject: string): Venue | undefined {
    return this.venues.get(subject.split('.')[1] ?? '');
  }
}

function ageText(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
