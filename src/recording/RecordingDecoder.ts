import type { GapItem } from '../core/batch/gaps.ts';
import { InputLineError, marketEventFrom } from '../core/batch/inputLine.ts';
import { isValidTimestamp, type MarketEvent } from '../core/events.ts';
import { createAdapter } from '../sources/adapters/registry.ts';
import { fromPortable, toPortable } from '../sources/adapters/portableState.ts';
import type { AdapterSnapshot, VenueAdapter } from '../sources/adapters/VenueAdapter.ts';

/**
 * A decoder's state: each venue adapter's protocol state and the counts so far (opaque).
 * Structured-clone data: a replay checkpoint's copy crosses threads (`portableState.ts`).
 */
export interface DecoderSnapshot {
  readonly adapters: readonly (readonly [string, AdapterSnapshot])[];
  readonly stats: RecordingStats;
}

/** A bad recording line, named by its 1-based line number. */
export class RecordingLineError extends Error {
  constructor(
    readonly line: number,
    /** The problem, without the line number. */
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'RecordingLineError';
  }
}

/** What a decoder has seen so far. */
export interface RecordingStats {
  frames: number;
  markers: number;
  sent: number;
  events: number;
  /** SIM lines (normalized events passed through). */
  simEvents: number;
  gaps: number;
  malformedFrames: number;
}

/** A frame an adapter could not use (bad JSON, a missing field, a number out of bounds). */
export interface MalformedFrame {
  /** 1-based line of the recording. */
  readonly line: number;
  readonly exchange: string;
  /** The adapter's reason, naming the field (`aggTrade q: expected a size ≥ 0, got -1: {…}`). */
  readonly detail: string;
}

/** Malformed frames kept with their details (all are counted in `malformedFrames`). */
export const MALFORMED_KEPT = 20;

/**
 * Turns a raw-frame recording back into market events by running every frame through a fresh
 * adapter of its venue — the very code that decoded it live, with the same sync and checksum rules
 * — so replay, the CLI and live give the same events. Books stay invalid from a gap until the next
 * full snapshot in the recording, because the adapter sees the same broken sequence it saw live.
 */
export class RecordingDecoder {
  private readonly adapters = new Map<string, VenueAdapter>();
  readonly stats: RecordingStats = {
    frames: 0,
    markers: 0,
    sent: 0,
    events: 0,
    simEvents: 0,
    gaps: 0,
    malformedFrames: 0,
  };
  /** The first {@link MALFORMED_KEPT} malformed frames, for reports (not part of snapshots). */
  readonly malformed: MalformedFrame[] = [];

  /**
   * Decode one line (1-based `lineNo` for errors). Blank lines are skipped; a line that is not a
   * recording line throws a RecordingLineError naming it.
   */
  push(text: string, lineNo: number): MarketEvent[] {
    return this.decode(text, lineNo, false) as MarketEvent[];
  }

  /**
   * Like {@link push}, with the gaps the adapters reported too, in their order among the events:
   * batch outputs mark them (docs/batch-output.md#gaps).
   */
  pushItems(text: string, lineNo: number): (MarketEvent | GapItem)[] {
    return this.decode(text, lineNo, true);
  }

  private decode(text: string, lineNo: number, gaps: boolean): (MarketEvent | GapItem)[] {
    if (text.trim() === '') return [];
    let rec: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('not an object');
      }
      rec = parsed as Record<string, unknown>;
    } catch (err) {
      throw new RecordingLineError(lineNo, `not a JSON object (${(err as Error).message})`);
    }
    const ts = rec.receipt_timestamp;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      throw new RecordingLineError(lineNo, '"receipt_timestamp" must be a number (epoch seconds)');
    }
    if (!isValidTimestamp(ts)) {
      throw new RecordingLineError(
        lineNo,
        `"receipt_timestamp" must be epoch seconds between 1970 and 2100, got ${ts}`,
      );
    }
    if (typeof rec.exchange !== 'string' || rec.exchange === '') {
      throw new RecordingLineError(lineNo, '"exchange" must be a venue id like "KRAKEN"');
    }
    const url = typeof rec.url === 'string' ? rec.url : undefined;
    if (typeof rec.data === 'string') {
      this.stats.frames++;
      const outs = this.adapter(rec.exchange, lineNo).onFrame(rec.data, ts, url);
      return this.collect(outs, lineNo, rec.exchange, gaps);
    }
    if (typeof rec.sent === 'string') {
      this.stats.sent++;
      return [];
    }
    if (rec.marker === 'connect' || rec.marker === 'gap') {
      this.stats.markers++;
      return [];
    }
    if (rec.marker === 'disconnect') {
      this.stats.markers++;
      const outs = this.adapter(rec.exchange, lineNo).onDisconnect(ts, url);
      return this.collect(outs, lineNo, rec.exchange, gaps);
    }
    if (rec.exchange === 'SIM' && rec.event !== undefined)
      return [this.simEvent(rec.event, lineNo)];
    throw new RecordingLineError(lineNo, 'expected a "data", "sent", "marker" or "event" field');
  }

  /**
   * A copy of the decoder's state (every adapter's books and sequence numbers), or undefined when
   * an adapter cannot snapshot: replay checkpoints restore it instead of re-decoding from line 1.
   */
  snapshot(): DecoderSnapshot | undefined {
    const adapters: [string, AdapterSnapshot][] = [];
    for (const [exchange, a] of this.adapters) {
      if (!a.snapshot) return undefined;
      // Portable: a checkpoint's copy crosses threads (a crashed replay worker's replacement
      // restores it), and a structured clone would strip the books' classes.
      adapters.push([exchange, toPortable(a.snapshot()) as AdapterSnapshot]);
    }
    return { adapters, stats: { ...this.stats } };
  }

  /** A decoder in the state of `s` (the snapshot stays usable for further restores). */
  static restore(s: DecoderSnapshot): RecordingDecoder {
    const d = new RecordingDecoder();
    for (const [exchange, state] of s.adapters) {
      const a = createAdapter(exchange);
      a.restore!(fromPortable(state) as AdapterSnapshot);
      d.adapters.set(exchange, a);
    }
    Object.assign(d.stats, s.stats);
    return d;
  }

  /** A SIM line: the Simulated market has no frames, so its normalized event is passed through. */
  private simEvent(raw: unknown, lineNo: number): MarketEvent {
    try {
      const e = marketEventFrom(raw, lineNo);
      this.stats.simEvents++;
      this.stats.events++;
      return e;
    } catch (err) {
      if (!(err instanceof InputLineError)) throw err;
      throw new RecordingLineError(lineNo, `SIM event: ${err.message}`);
    }
  }

  private adapter(exchange: string, lineNo: number): VenueAdapter {
    let a = this.adapters.get(exchange);
    if (!a) {
      try {
        a = createAdapter(exchange);
      } catch (err) {
        throw new RecordingLineError(lineNo, (err as Error).message);
      }
      this.adapters.set(exchange, a);
    }
    return a;
  }

  /**
   * Warning lines for the malformed frames seen (`warning: FILE:LINE: malformed KRAKEN frame: …`),
   * one per kept frame and a count of the rest; '' when there were none.
   */
  malformedReport(file: string): string {
    let text = '';
    for (const m of this.malformed)
      text += `warning: ${file}:${m.line}: malformed ${m.exchange} frame, skipped: ${m.detail}\n`;
    const more = this.stats.malformedFrames - this.malformed.length;
    if (more > 0) text += `warning: ${file}: ${more} more malformed frame(s) skipped\n`;
    return text;
  }

  /** Events (and, with `gaps`, the venue's gaps) in adapter order; counts the rest. */
  private collect(
    outputs: ReturnType<VenueAdapter['onFrame']>,
    line: number,
    exchange: string,
    gaps: boolean,
  ): (MarketEvent | GapItem)[] {
    const events: (MarketEvent | GapItem)[] = [];
    for (const o of outputs) {
      if (o.type === 'event') {
        events.push(o.event);
        this.stats.events++;
      } else if (o.type === 'gap') {
        this.stats.gaps++;
        if (gaps) {
          const { symbol, channel, reason, receipt_timestamp } = o;
          events.push({ gap: { exchange, symbol, channel, reason, receipt_timestamp } });
        }
      } else if (o.type === 'malformed') {
        this.stats.malformedFrames++;
        if (this.malformed.length < MALFORMED_KEPT)
          this.malformed.push({ line, exchange, detail: o.detail });
      }
    }
    return events;
  }
}

/** Whether an NDJSON first line looks like a raw-frame recording (vs normalized events). */
export function isRecordingLine(text: string): boolean {
  try {
    const rec = JSON.parse(text) as Record<string, unknown>;
    return (
      typeof rec === 'object' &&
      rec !== null &&
      'receipt_timestamp' in rec &&
      ('data' in rec || 'marker' in rec || 'sent' in rec || 'event' in rec)
    );
  } catch {
    return false;
  }
}
