import type { Event } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import { AsOfJoin } from './AsOfJoin.ts';
import type { ByteLines } from './ByteLines.ts';
import { type OutputColumns, outputColumnsOf } from './format.ts';
import type { GapItem } from './gaps.ts';
import { NdjsonLineWriter, TimesText } from './NdjsonLineWriter.ts';
import { type ClosedGap, SourceClocks } from './SourceClocks.ts';

/** `ndjson`: every output event, in emission order. `csv`: the as-of join keyed on output 0. */
export type BatchFormat = 'ndjson' | 'csv';

/**
 * The text of a batch run, NDJSON or CSV, as a pure function of one ordered sequence of calls —
 * per input event `before`, its outputs, `after`; `gap` between inputs; `finish` — so every
 * path that makes the same calls writes the same bytes: the in-thread {@link BatchRunner}, and
 * the worker runtime through {@link SeqAligner} (any partitioning, any timing).
 *
 * Gaps (docs/batch-output.md#gaps): NDJSON gets one marker line per configured
 * source and gap when the gap ends (before the outputs of the source's first event after it), or
 * at the end of input; CSV leaves the cells of every output downstream of the source empty in
 * rows inside the gap.
 */
export class OutputWriter {
  /** NDJSON output lines (markers excluded) or CSV rows written so far. */
  outputs = 0;
  /** Gap markers (NDJSON) or gaps (CSV) seen on configured sources. */
  gaps = 0;
  private readonly cols: OutputColumns[];
  private readonly lines: NdjsonLineWriter[];
  private readonly clocks: SourceClocks;
  private readonly join: AsOfJoin | undefined;

  constructor(features: readonly Feature[], format: BatchFormat) {
    this.cols = outputColumnsOf(features);
    const times = new TimesText();
    this.lines = this.cols.map((c) => new NdjsonLineWriter(c, times));
    this.clocks = new SourceClocks(features);
    this.join = format === 'csv' ? new AsOfJoin(this.cols, this.clocks) : undefined;
  }

  /** The CSV header line; empty for NDJSON. */
  header(): string {
    return this.join ? this.join.header() : '';
  }

  /** An NDJSON output line already formatted by this line writer's twin (a worker's). */
  outputLine(text: string): string {
    this.outputs++;
    return text;
  }

  /** An event of data source `source` at `ts` is about to be processed. */
  before(source: Feature, ts: number): string {
    const closed = this.clocks.before(source, ts);
    if (!closed) return '';
    this.gaps++;
    return this.join ? this.rows(this.join.poll()) : gapLine(closed, this.cols);
  }

  /** Output `pos` (configured position) emitted `e`. */
  output(pos: number, e: Event): string {
    if (this.join) return this.rows(this.join.push(pos, e));
    this.outputs++;
    return this.lines[pos]!.line(e);
  }

  /** {@link output}'s text appended to `out` as UTF-8 (NDJSON: without building it as a string). */
  outputTo(pos: number, e: Event, out: ByteLines): void {
    if (this.join) return out.text(this.rows(this.join.push(pos, e)));
    this.outputs++;
    this.lines[pos]!.lineTo(e, out);
  }

  /** The event of `source` at `ts` was processed, its outputs written. */
  after(source: Feature, ts: number): string {
    this.clocks.after(source, ts);
    return this.join ? this.rows(this.join.poll()) : '';
  }

  /** A venue stream lost integrity (between two input events). */
  gap(item: GapItem): string {
    this.clocks.gap(item.gap);
    return '';
  }

  /** End of input: the rest of the rows, and markers for gaps still open. */
  finish(): string {
    const open = this.clocks.closeAll();
    this.gaps += open.length;
    if (this.join) return this.rows(this.join.finish());
    return open.map((g) => gapLine(g, this.cols)).join('');
  }

  /** The CSV join's buffers (tests). */
  bufferSizes(): ReturnType<AsOfJoin['bufferSizes']> & { gaps: number } {
    return {
      ...(this.join?.bufferSizes() ?? { pendingRows: 0, seriesItems: [] }),
      gaps: this.clocks.remembered,
    };
  }

  private rows(text: string): string {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.outputs++;
    return text;
  }
}

/**
 * The NDJSON gap marker: `{"gap":{"source","exchange","instrument_type","symbol","channel",
 * "reason","start","end","features"[,"open":true]}}`, keys in that order.
 */
export function gapLine(g: ClosedGap, cols: readonly OutputColumns[]): string {
  const p = g.source.params;
  const o: Record<string, unknown> = {
    source: g.source.toString(),
    exchange: p.exchange,
    instrument_type: p.instrument_type,
    symbol: p.symbol,
    channel: g.source.definition.kind === 'source' ? g.source.definition.channel : undefined,
    reason: g.reason,
    start: g.start,
    end: g.end,
    features: g.outputs.map((i) => cols[i]!.label),
  };
  if (g.open) o.open = true;
  return `${JSON.stringify({ gap: o })}\n`;
}
