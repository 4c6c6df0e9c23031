import { LineRouteScanner } from '../runtime/LineRouteScanner.ts';
import { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { EVENT_SUFFIX, marketSubject } from './names.ts';

/**
 * A frame line in the canonical shape every recorder of this project writes
 * (`{"receipt_timestamp":N,"exchange":"X","data":"…`): its venue read without JSON.parse. The
 * decoder parses the line once anyway; parsing it a second time for the venue was a third of the
 * subject's cost.
 */
const FRAME_HEAD = /^\{"receipt_timestamp":[0-9.eE+-]+,"exchange":"([A-Za-z0-9_-]+)","data":"/;

/**
 * The market subject of each line a publisher sends, in stream order (one instance per
 * publisher: raw frames are decoded by a stateful decoder, as the workers decode them).
 *
 * - A recording line (`r`): `md.<venue>.<symbol>`, the symbol of the events the line decodes to
 *   (`_` when it has none or several: connection markers, subscription acks, multi-symbol frames).
 *   Only decoding knows it (venues name instruments their own way, and whether a frame yields
 *   events depends on the book's state), so each frame is decoded once, as before.
 * - A normalized line (`e`): `md.<venue>.<symbol>.e`. The kind travels in the subject, not in a
 *   header: a worker reads every market message, and parsing a header block cost it ~7 µs a
 *   message (more than its share of decoding). Event lines are read by the runtime's
 *   {@link LineRouteScanner} (no JSON.parse); the rest (gap lines, other key orders) are parsed.
 */
export class MarketSubjects {
  private readonly decoder = new RecordingDecoder();
  private readonly scanner = new LineRouteScanner();
  private readonly cache = new Map<string, string>();

  /** The subject of line `lineNo` (1-based, for the decoder's errors) of kind `kind`. */
  of(text: string, kind: 'r' | 'e', lineNo: number): string {
    return kind === 'r' ? this.recording(text, lineNo) : this.event(text);
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

  private recording(text: string, lineNo: number): string {
    let venue: string | undefined;
    /** A marker naming its instrument (a gap marker). */
    let named: string | undefined;
    const head = FRAME_HEAD.exec(text);
    if (head) venue = head[1];
    else {
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return this.subject(undefined, undefined);
      }
      venue = typeof rec.exchange === 'string' ? rec.exchange : undefined;
      if (typeof rec.symbol === 'string') named = rec.symbol;
    }
    let symbol: string | undefined;
    let several = false;
    try {
      // Every line goes through the decoder, so its state follows the stream's (a disconnect
      // marker invalidates books) as the workers' decoders do.
      for (const m of this.decoder.pushItems(text, lineNo)) {
        const s = 'gap' in m ? m.gap.symbol : m.symbol;
        if (symbol === undefined) symbol = s;
        else if (s !== symbol) several = true;
      }
    } catch {
      // The workers skip and count it; the subject does not matter.
    }
    if (named !== undefined) return this.subject(venue, named);
    return this.subject(venue, several ? undefined : symbol);
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
