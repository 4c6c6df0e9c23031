import type { Event, MarketEvent } from '../events.ts';
import type { ByteLines } from './ByteLines.ts';
import type { Feature } from '../feature/Feature.ts';
import type { Interval } from './configInterval.ts';
import { type GapItem, isGapItem } from './gaps.ts';
import { GraphStepper, type StepSink } from './GraphStepper.ts';
import { parseInputItem } from './inputItem.ts';
import { type BatchFormat, OutputWriter } from './OutputWriter.ts';
import { SourceRouter } from './routing.ts';

// Defined beside the writer, which OutputWriter needs without importing this file (no circle).
export type { BatchFormat } from './OutputWriter.ts';

export interface BatchRunnerOptions {
  readonly format: BatchFormat;
  /** Epoch-second interval over which synthetic sources generate (config start/end dates). */
  readonly interval?: Interval;
}

/** Counters of a batch run. */
export interface BatchStats {
  /** Input lines seen (blank ones included). */
  lines: number;
  /** Market events fed to the graph. */
  events: number;
  /** Market events that matched no source of the configured features. */
  skipped: number;
  /** NDJSON lines or CSV rows produced (gap markers not included). */
  outputs: number;
  /** Gaps on configured sources (NDJSON: marker lines written). */
  gaps: number;
}

/**
 * The pure, incremental batch runner behind the CLI and the browser: feed it normalized input
 * lines with {@link pushLine} and write what each call returns; {@link finish} returns the rest.
 * No I/O, so a caller can stream a file of any size through it. The graph work is
 * {@link GraphStepper}'s (the one graph path over recorded input; a recording's frames reach it
 * through session/ReplayEngine, which calls {@link pushEvent}); this class routes, counts and
 * writes the text ({@link OutputWriter}).
 *
 * Events are processed in FILE order, not re-sorted (a recording is already in arrival order; the
 * live path trusts arrival order too). Synthetic sources, if any, generate over `interval` and are
 * interleaved by timestamp: before each input event, every synthetic event at or before it; the
 * rest at the end. Malformed lines throw {@link InputLineError} naming the line and field.
 * Gap lines and items (`{"gap":{…}}`, see gaps.ts) mark the gap in the output.
 */
export class BatchRunner {
  readonly stats: BatchStats = { lines: 0, events: 0, skipped: 0, outputs: 0, gaps: 0 };
  private readonly stepper: GraphStepper;
  private readonly router: SourceRouter;
  private readonly writer: OutputWriter;
  private readonly text: WriterText;
  private started = false;

  constructor(features: readonly Feature[], options: BatchRunnerOptions) {
    if (features.length === 0) throw new Error('no features configured');
    this.writer = new OutputWriter(features, options.format);
    this.text = new WriterText(this.writer);
    this.stepper = new GraphStepper(features, this.text, {
      ...(options.interval ? { interval: options.interval } : {}),
    });
    this.router = new SourceRouter(this.stepper.graph.getIns());
  }

  /**
   * From now on append the output to `out` as UTF-8, and return '' from {@link pushLine},
   * {@link pushEvent} and {@link finish}: the same bytes as the text they would return, without
   * building it as a string (see {@link ByteLines}). `undefined` returns to text.
   */
  writeInto(out: ByteLines | undefined): void {
    this.text.bytes = out;
  }

  /** Process line `lineNo` (1-based, for error messages); returns output text to append. */
  pushLine(text: string, lineNo: number): string {
    this.stats.lines++;
    const m = parseInputItem(text, lineNo);
    return m === undefined ? this.take() : this.pushEvent(m);
  }

  /**
   * Process one market event that did not come from a normalized line (decoded from a raw-frame
   * recording by the venue adapters: session/ReplayEngine), or a gap the decoder reported
   * between events; returns output text to append.
   */
  pushEvent(m: MarketEvent | GapItem): string {
    this.begin();
    if (isGapItem(m)) {
      this.stepper.gap(m);
      return this.take();
    }
    const source = this.router.route(m);
    if (source === undefined) this.stats.skipped++;
    else {
      this.stats.events++;
      this.stepper.step(source, m.event);
    }
    return this.take();
  }

  /** End of input: remaining synthetic events and CSV rows. */
  finish(): string {
    this.begin();
    this.stepper.finish();
    this.text.add(this.writer.finish());
    return this.take();
  }

  /** Sizes of the CSV join's buffers (tests: bounded whatever the input length). */
  bufferSizes(): ReturnType<OutputWriter['bufferSizes']> {
    return this.writer.bufferSizes();
  }

  /** Configured data sources no input event matched (see {@link SourceRouter.unmatched}). */
  unmatchedSources(): Feature[] {
    return this.router.unmatched();
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    this.text.add(this.writer.header());
  }

  private take(): string {
    this.stats.outputs = this.writer.outputs;
    this.stats.gaps = this.writer.gaps;
    return this.text.take();
  }
}

/**
 * The stepper's calls written by an {@link OutputWriter}: as text collected until taken, or, with
 * {@link bytes} set, as UTF-8 straight into a byte buffer (no output string built, flattened and
 * encoded: that copy was a tenth of a batch run).
 */
class WriterText implements StepSink {
  private out = '';
  bytes: ByteLines | undefined;
  constructor(private readonly w: OutputWriter) {}
  before(source: Feature, ts: number): void {
    this.add(this.w.before(source, ts));
  }
  output(pos: number, e: Event): void {
    if (this.bytes !== undefined) this.w.outputTo(pos, e, this.bytes);
    else this.out += this.w.output(pos, e);
  }
  after(source: Feature, ts: number): void {
    this.add(this.w.after(source, ts));
  }
  gap(item: GapItem): void {
    this.add(this.w.gap(item));
  }
  add(text: string): void {
    if (this.bytes === undefined) this.out += text;
    else if (text !== '') this.bytes.text(text);
  }
  take(): string {
    const t = this.out;
    this.out = '';
    return t;
  }
}
