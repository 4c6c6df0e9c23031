import { LineRouteScanner } from '../runtime/LineRouteScanner.ts';
import { createAdapter } from '../sources/adapters/registry.ts';
import type { VenueAdapter } from '../sources/adapters/VenueAdapter.ts';
import { EVENT_SUFFIX, marketSubject } from './names.ts';

/**
 * The market subject of each line a publisher sends (one instance per publisher; it keeps no
 * stream state, so any line's subject depends on that line alone).
 *
 * - A recording line (`r`): `md.<venue>.<symbol>`, the instrument the line is about as the venue's
 *   adapter names it in normalized form: for a frame, its `frameSymbol` (read without decoding:
 *   no book or checksum work); for a marker naming one (a gap marker), that; for a SIM line, its
 *   event's. `_` when the line names none or several (connect/disconnect markers, sent frames,
 *   subscription acks, heartbeats, multi-instrument frames, venues without an adapter). A frame
 *   that decodes to nothing but names an instrument (a book delta before its snapshot) has that
 *   instrument's subject: the decoder's whole stream for the instrument is under it.
 * - A normalized line (`e`): `md.<venue>.<symbol>.e`. The kind travels in the subject, not in a
 *   header: a worker reads every market message, and parsing a header block cost it ~7 µs a
 *   message (more than its share of decoding). Event lines are read by the runtime's
 *   {@link LineRouteScanner} (no JSON.parse); the rest (gap lines, other key orders) are parsed.
 */
export class MarketSubjects {
  private readonly scanner = new LineRouteScanner();
  private readonly cache = new Map<string, string>();
  /** One adapter per venue, only for its stateless `frameSymbol`; null: no adapter for it. */
  private readonly adapters = new Map<string, VenueAdapter | null>();

  /** The subject of a line of kind `kind`. */
  of(text: string, kind: 'r' | 'e'): string {
    return kind === 'r' ? this.recording(text) : this.event(text);
  }

  private subject(venue: string | undefined, symbol: string | undefined, suffix = ''): string {
    const k = `${venue ?? ''}\n${symbol ?? ''}\n${suffix}`;
    let s = this.cache.get(k);
    if (s === undefined) {
      s = marketSubject(venue, symbol) + suffix;
      if (this.cache.size < 4096) this.cache.set(k, s);
    }
    return s;
  }

  private adapter(venue: string): VenueAdapter | null {
    let a = this.adapters.get(venue);
    if (a === undefined) {
      try {
        a = createAdapter(venue);
      } catch {
        a = null; // a venue without an adapter: its workers skip and count its frames
      }
      this.adapters.set(venue, a);
    }
    return a;
  }

  private recording(text: string): string {
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch {
      return this.subject(undefined, undefined);
    }
    if (typeof rec !== 'object' || rec === null) return this.subject(undefined, undefined);
    const r = rec as Record<string, unknown>;
    const venue = typeof r.exchange === 'string' && r.exchange !== '' ? r.exchange : undefined;
    let symbol: string | undefined;
    if (typeof r.data === 'string') {
      if (venue !== undefined) {
        const url = typeof r.url === 'string' ? r.url : undefined;
        symbol = this.adapter(venue)?.frameSymbol?.(r.data, url);
      }
    } else if (typeof r.symbol === 'string') symbol = r.symbol;
    else if (typeof r.event === 'object' && r.event !== null) {
      const s = (r.event as Record<string, unknown>).symbol;
      if (typeof s === 'string') symbol = s;
    }
    return this.subject(venue, symbol);
  }

  private event(text: string): string {
    const key = this.scanner.scan(text);
    if (key) return this.subject(key.exchange, key.symbol, EVENT_SUFFIX);
    try {
      const v = JSON.parse(text) as Record<string, unknown>;
      const g = v.gap as Record<string, unknown> | undefined;
      const src = g !== null && typeof g === 'object' ? g : v;
      return this.subject(
        typeof src.exchange === 'string' ? src.exchange : undefined,
        typeof src.symbol === 'string' ? src.symbol : undefined,
        EVENT_SUFFIX,
      );
    } catch {
      return this.subject(undefined, undefined, EVENT_SUFFIX);
    }
  }
}
