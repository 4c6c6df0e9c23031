import type { Event, MarketEvent } from '../events.ts';
import type { ByteLines } from './ByteLines.ts';
import type { Feature } from '../feature/Feature.ts';
import { FeatureStreamGraph, type NamedDataEvent } from '../graph/FeatureStreamGraph.ts';
import type { Interval } from './configInterval.ts';
import { type GapItem, isGapItem } from './gaps.ts';
import { parseInputItem } from './inputItem.ts';
import { mergeByTimestamp } from './merge.ts';
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
 * No I/O, so a caller can stream a file of any size through it.
 *
 * Events are processed in FILE order, not re-sorted (a recording is already in arrival order; the
 * live path trusts arrival order too). Synthetic sources, if any, generate over `interval` and are
 * interleaved by timestamp: before each input event, every synthetic event at or before it; the
 * rest at the end. Malformed lines throw {@link InputLineError} naming the line and field.
 * Gap lines and items (`{"gap":{…}}`, see gaps.ts) mark the gap in the output.
 */
export class BatchRunner {
  readonly stats: BatchStats = { lines: 0, events: 0, skipped: 0, outputs: 0, gaps: 0 };
  private readonly graph: FeatureStreamGraph;
  private readonly router: SourceRouter;
  private readonly writer: OutputWriter;
  private readonly synthetic: NamedDataEvent[];
  private syntheticPos = 0;
  private out = '';
  /** Set by {@link writeInto}: output goes here instead of into {@link out}. */
  private bytes: ByteLines | undefined;
  private started = false;
  /**
   * Outputs of the input being processed: configured feature positions and events, the first
   * `pendingN` entries (the arrays are reused, never shrunk: resetting a length reallocates).
   */
  private readonly pendingPos: number[] = [];
  private readonly pendingEvents: Event[] = [];
  private pendingN = 0;
  /** The pair handed to the graph, reused: the graph reads it only during the call. */
  private readonly input: [Feature, Event] = [
    undefined as unknown as Feature,
    undefined as unknown as Event,
  ];

  constructor(features: readonly Feature[], options: BatchRunnerOptions) {
    if (features.length === 0) throw new Error('no features configured');
    this.graph = new FeatureStreamGraph(features);
    this.writer = new OutputWriter(features, options.format);
    features.forEach((f, i) =>
      this.graph.setCallback(f, (_f, e) => {
        const n = this.pendingN++;
        this.pendingPos[n] = i;
        this.pendingEvents[n] = e;
      }),
    );
    this.router = new SourceRouter(this.graph.getIns());
    this.synthetic = mergeByTimestamp(syntheticLists(this.graph.getIns(), options.interval));
  }

  /**
   * From now on append the output to `out` as UTF-8, and return '' from {@link pushLine},
   * {@link pushEvent} and {@link finish}: the same bytes as the text they would return, without
   * building it as a string (see {@link ByteLines}). `undefined` returns to text.
   */
  writeInto(out: ByteLines | undefined): void {
    this.bytes = out;
  }

  /** Process line `lineNo` (1-based, for error messages); returns output text to append. */
  pushLine(text: string, lineNo: number): string {
    this.stats.lines++;
    const m = parseInputItem(text, lineNo);
    return m === undefined ? this.take() : this.pushEvent(m);
  }

  /**
   * Process one market event that did not come from a normalized line (e.g. decoded from a
   * raw-frame recording by the venue adapters), or a gap the decoder reported between events;
   * returns output text to append.
   */
  pushEvent(m: MarketEvent | GapItem): string {
    this.begin();
    if (isGapItem(m)) {
      this.append(this.writer.gap(m));
      return this.take();
    }
    const source = this.router.route(m);
    if (source === undefined) this.stats.skipped++;
    else {
      this.feedSynthetic(m.event.timestamp);
      this.stats.events++;
      this.emit(source, m.event);
    }
    return this.take();
  }

  /** End of input: remaining synthetic events and CSV rows. */
  finish(): string {
    this.begin();
    this.feedSynthetic(Infinity);
    this.append(this.writer.finish());
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
    this.append(this.writer.header());
  }

  /** One input event, with the writer's calls around it (the order {@link SeqAligner} rebuilds). */
  private emit(source: Feature, e: Event): void {
    this.append(this.writer.before(source, e.timestamp));
    this.input[0] = source;
    this.input[1] = e;
    this.graph.emitNamedDataEvent(this.input);
    this.flushPending();
    this.append(this.writer.after(source, e.timestamp));
  }

  private append(text: string): void {
    if (this.bytes === undefined) this.out += text;
    else if (text !== '') this.bytes.text(text);
  }

  private feedSynthetic(uptoSec: number): void {
    const s = this.synthetic;
    while (this.syntheticPos < s.length && s[this.syntheticPos]![1].timestamp <= uptoSec) {
      const [f, e] = s[this.syntheticPos++]!;
      this.emit(f, e);
    }
  }

  /**
   * Write one input's outputs in canonical order: by configured feature position, then emission
   * order. Depth-first emission order depends on how the graph happened to be wired; this order
   * does not, so the worker runtime (any partitioning) produces the very same bytes.
   */
  private flushPending(): void {
    const pos = this.pendingPos;
    const evs = this.pendingEvents;
    const n = this.pendingN;
    if (n === 0) return;
    this.pendingN = 0;
    // Stable insertion sort by position: a handful of outputs, usually already in order, so
    // this is one comparison each and allocates nothing.
    for (let k = 1; k < n; k++) {
      const p = pos[k]!;
      if (pos[k - 1]! <= p) continue;
      const e = evs[k]!;
      let j = k - 1;
      for (; j >= 0 && pos[j]! > p; j--) {
        pos[j + 1] = pos[j]!;
        evs[j + 1] = evs[j]!;
      }
      pos[j + 1] = p;
      evs[j + 1] = e;
    }
    const bytes = this.bytes;
    if (bytes !== undefined)
      for (let k = 0; k < n; k++) this.writer.outputTo(pos[k]!, evs[k]!, bytes);
    else for (let k = 0; k < n; k++) this.out += this.writer.output(pos[k]!, evs[k]!);
  }

  private take(): string {
    this.stats.outputs = this.writer.outputs;
    this.stats.gaps = this.writer.gaps;
    const t = this.out;
    this.out = '';
    return t;
  }
}

function syntheticLists(
  sources: readonly Feature[],
  interval: BatchRunnerOptions['interval'],
): NamedDataEvent[][] {
  const lists: NamedDataEvent[][] = [];
  for (const f of sources) {
    const def = f.definition;
    if (def.kind !== 'source' || def.generate === undefined) continue;
    if (!interval)
      throw new Error(`synthetic source ${f.toString()} needs start_date and end_date`);
    lists.push(def.generate(f.params, interval.start, interval.end).map((e) => [f, e] as const));
  }
  return lists;
}
