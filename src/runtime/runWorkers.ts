import type { BatchFormat } from '../core/batch/BatchRunner.ts';
import { ByteLines } from '../core/batch/ByteLines.ts';
import type { Interval } from '../core/batch/configInterval.ts';
import { parseGapLine } from '../core/batch/gaps.ts';
import { InputLineError, parseInputLine } from '../core/batch/inputLine.ts';
import { mergeByTimestamp } from '../core/batch/merge.ts';
import { outputColumnsOf } from '../core/batch/format.ts';
import { OutputWriter } from '../core/batch/OutputWriter.ts';
import { SeqAligner } from '../core/batch/SeqAligner.ts';
import { type RouteKey, SourceRouter } from '../core/batch/routing.ts';
import type { MarketEvent } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { NamedDataEvent } from '../core/graph/FeatureStreamGraph.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { isLineFailure } from './parseRawLines.ts';
import type { RuntimePlatform } from './ports.ts';
import { CHECK_ONLY, type LineFailure } from './protocol.ts';
import { LineRouteScanner } from './LineRouteScanner.ts';
import { partition, type ScalingStrategy, type WorkerBudgetOptions } from './ScalingStrategy.ts';
import { StreamManager, type StreamManagerOptions } from './StreamManager.ts';
import { TextMerger } from './TextMerger.ts';
import { GapMarks } from './GapMarks.ts';

export interface RunWorkersOptions {
  readonly format: BatchFormat;
  readonly interval?: Interval;
  readonly strategy: ScalingStrategy;
  readonly budget?: WorkerBudgetOptions;
  /** Input events per feed call (one batch per feeder per call; default 512). */
  readonly feedBatch?: number;
  readonly manager?: Omit<StreamManagerOptions, 'onOutputs'>;
  /** Called with the manager once started (tests inject faults through it). */
  readonly onStarted?: (m: StreamManager, fed: () => number) => void;
  /**
   * Where the output goes, in chunks of about {@link WRITE_CHUNK} characters, as it is produced;
   * awaited before more input is fed, so memory stays bounded whatever the output size. Without
   * it the output is returned whole (tests, the browser harness).
   */
  readonly write?: (text: string) => Promise<void>;
  /**
   * Like {@link write}, as UTF-8 bytes `0..length` of `bytes` (reused once the promise resolves).
   * NDJSON output is made as bytes (the workers write it: see `TextMerger`), so this skips a
   * decode and an encode of the whole output. Takes precedence over `write`.
   */
  readonly writeBytes?: (bytes: Uint8Array, length: number) => Promise<void>;
}

/** What a run did. */
export interface RunWorkersResult {
  /** The whole output, or `''` when it went to {@link RunWorkersOptions.write}. */
  readonly output: string;
  readonly events: number;
  readonly skipped: number;
  /** Workers actually used (the partition may need fewer than the budget allows). */
  readonly workers: number;
  /** Data sources no input event matched. */
  readonly unmatched: Feature[];
  /**
   * User feature nodes that failed, in worker order (the caller orders them by event). A worker
   * restarted from a checkpoint taken after its node failed does not know of that failure.
   */
  readonly userFailures: UserFailure[];
  /**
   * Input lines the main thread parsed itself (gap lines, blank and non-canonical lines, the
   * first line of each new head): every other line went to its worker unparsed.
   */
  readonly parsedHere: number;
}

/** Hand output to `write` at about this size: few, large writes. */
const WRITE_CHUNK = 1 << 16;

/**
 * The batch job of `featurizer run --workers N`: normalized NDJSON input lines in file order,
 * run across workers, NDJSON or CSV out. Output order is canonical — by input, then output
 * position, then emission — so it is byte-identical for every partitioning and worker count.
 * The in-thread BatchRunner uses the same order, so `--workers N` equals the default run too.
 */
export async function runWorkers(
  features: readonly Feature[],
  lines: Iterable<string> | AsyncIterable<string | readonly string[] | Uint8Array>,
  platform: RuntimePlatform,
  o: RunWorkersOptions,
): Promise<RunWorkersResult> {
  const graph = partition(features, o.strategy, o.budget);
  // Output text (CSV join, gap markers) comes from core/batch: the aligner replays the in-thread
  // call order from the input numbers, so the bytes equal the in-thread run's.
  const writer = new OutputWriter(features, o.format);
  const aligned = new SeqAligner(writer);
  let out = writer.header();
  // NDJSON: the workers' lines as bytes, merged in canonical order (gap markers among them).
  const ndjson = o.format === 'ndjson';
  // Two buffers: results keep arriving (into `bytes`) while the other one is being written.
  let bytes = new ByteLines(1 << 17);
  let spare = new ByteLines(1 << 17);
  const merger = new TextMerger(
    graph.subgraphs.filter((s) => s.outputs.length > 0 || s.sources.length > 0).map((s) => s.index),
  );
  const marks = new GapMarks(writer);
  const before = (seq: number): string => marks.upTo(seq);
  /** The writer hears of an input: NDJSON at once, CSV when its outputs are in (aligned). */
  const note = (f: Feature, ts: number): void => {
    if (ndjson) marks.input(f, ts);
    else aligned.input(f, ts);
  };
  const sources = features.flatMap((f) => f.dataSources());
  const router = new SourceRouter(dedupe(sources));
  const synthetic = mergeByTimestamp(syntheticLists(dedupe(sources), o.interval));
  let userFailures: UserFailure[] = [];
  // The first input line a worker refused (outputs arrive in input order, so it is the lowest):
  // the output stops before it, as the in-thread run's does.
  let refused: LineFailure | undefined;
  const manager = new StreamManager(graph, platform, {
    ...o.manager,
    // NDJSON lines are formatted by the workers, in parallel: the main thread only joins them.
    ...(o.format === 'ndjson'
      ? { worker: { ...o.manager?.worker, ndjson: outputColumnsOf(features) } }
      : {}),
    onOutputs: (outs) => {
      if (refused) return;
      const k = outs.findIndex((x) => isLineFailure(x.pos));
      // Lines checked by different workers can fail at one input number: the lowest line wins.
      for (let i = k; i >= 0 && i < outs.length; i++) {
        const f = outs[i]!.ev as unknown as LineFailure;
        if (isLineFailure(outs[i]!.pos) && (refused === undefined || f.line < refused.line))
          refused = f;
      }
      out += aligned.outputs(k >= 0 ? outs.slice(0, k) : outs);
    },
    onTextResults: (worker, b) => {
      if (!refused) merger.add(worker, b);
    },
    onProgress: (seq) => {
      if (refused) return;
      if (!ndjson) {
        out += aligned.progress(seq);
        return;
      }
      const failed = merger.release(seq, bytes, before);
      if (failed.length > 0) refused = failed.reduce((a, f) => (f.line < a.line ? f : a));
      else bytes.text(marks.upTo(seq));
    },
  });
  // NDJSON: the write in flight. Input is read and fed while it runs (awaiting each write there
  // left the workers idle whenever the disk was slow: a 700k-line `--workers 1` run took 3.3 s
  // writing to a file against 2.2 s to /dev/null); the next write waits for it, since its buffer
  // is the spare, and the end waits for the last. Still two buffers: memory stays bounded.
  let writing: Promise<void> = Promise.resolve();
  const flush = async (min: number): Promise<void> => {
    if (ndjson) {
      bytes.text(out); // text made outside the merge (the end's gap markers)
      out = '';
      if (!o.writeBytes && !o.write) return;
      if (bytes.length > 0 && bytes.length >= min) {
        await writing;
        const full = bytes;
        [bytes, spare] = [spare, full];
        bytes.clear();
        writing = o.writeBytes
          ? o.writeBytes(full.bytes, full.length)
          : o.write!(DECODER.decode(full.bytes.subarray(0, full.length)));
        // Its failure surfaces at the next await of it; never as an unhandled rejection.
        writing.catch(() => undefined);
      }
      if (min === 0) await writing;
      return;
    }
    if (o.write === undefined || out.length < min) return;
    const text = out;
    out = '';
    await o.write(text);
  };
  let synPos = 0;
  let queued = 0;
  let unrouted = 0;
  let events = 0;
  let fed = 0;
  const index = new Map<string, number>();
  const nodeOf = (f: Feature): number => {
    let i = index.get(f.key);
    if (i === undefined) index.set(f.key, (i = manager.sourceIndex(f)));
    return i;
  };
  const upTo = (sec: number): void => {
    while (synPos < synthetic.length && synthetic[synPos]![1].timestamp <= sec) {
      const [f, ev] = synthetic[synPos++]!;
      manager.feedLine(nodeOf(f), 0, ev);
      queued++;
      note(f, ev.timestamp);
    }
  };
  const send = async (): Promise<void> => {
    fed += queued;
    queued = 0;
    unrouted = 0;
    await manager.flushFeed();
    await flush(WRITE_CHUNK);
  };
  let lineNo = 0;
  const scanner = new LineRouteScanner();
  // A bad line found here (a gap line, or one the scan could not read): a worker may still refuse
  // an earlier line, which must win, so the input fed so far is finished before either is thrown.
  let failed: unknown;
  let parsedHere = 0;
  const perBatch = o.feedBatch ?? 512;
  const bytesBatch = o.feedBatch ?? BYTES_BATCH;
  /** A line whose route the scan read: its worker parses it. True when a batch is due. */
  const routed = (r: RouteKey, input: string): boolean => {
    const f = router.route(r);
    if (f === undefined) {
      // In-thread, a line no source takes is still checked: a worker checks it.
      manager.feedLine(CHECK_ONLY, lineNo, input);
      return ++unrouted >= perBatch;
    }
    const ts = scanner.timestamp;
    upTo(ts);
    manager.feedLine(nodeOf(f), lineNo, input);
    queued++;
    note(f, ts);
    events++;
    return queued >= perBatch;
  };
  /** {@link routed} of the line `chunk[start..end)`, fed as its bytes (no object for it). */
  const routedBytes = (r: RouteKey, chunk: Uint8Array, start: number, end: number): void => {
    const f = router.route(r);
    if (f === undefined) {
      manager.feedBytes(CHECK_ONLY, lineNo, chunk, start, end);
      unrouted++;
      return;
    }
    const ts = scanner.timestamp;
    upTo(ts);
    manager.feedBytes(nodeOf(f), lineNo, chunk, start, end);
    queued++;
    note(f, ts);
    events++;
  };
  /**
   * Any other line is read here as in-thread (a gap line, a blank one, a non-canonical one, a bad
   * one). `STOP` when it is bad (then {@link failed} says why), else whether a batch is due.
   */
  const other = (text: string): boolean | typeof STOP => {
    parsedHere++;
    let m: MarketEvent | undefined;
    try {
      const gap = parseGapLine(text, lineNo);
      if (gap) {
        if (ndjson) marks.gap(gap);
        else aligned.gap(gap);
        return false;
      }
      m = parseInputLine(text, lineNo);
    } catch (e) {
      failed = e;
      return STOP;
    }
    if (m === undefined) return false;
    const f = router.route(m);
    if (f === undefined) return false;
    upTo(m.event.timestamp);
    manager.feedLine(nodeOf(f), lineNo, m.event);
    queued++;
    note(f, m.event.timestamp);
    events++;
    return queued >= perBatch;
  };
  try {
    // Inside the try: a start that fails (a worker that cannot load) still stops the rest.
    await manager.start();
    o.onStarted?.(manager, () => fed);
    read: for await (const chunk of lines) {
      if (chunk instanceof Uint8Array) {
        // Whole lines as UTF-8 (how the CLI reads a file): routed from their bytes, which the
        // workers decode; only a line the scan cannot read is decoded here. No batch spans two
        // chunks, so a batch carries its chunk's buffer whole instead of a copy of each line.
        const n = chunk.length;
        for (let start = 0; start < n;) {
          lineNo++;
          // One pass over the line's bytes finds its route and its end.
          let r = scanner.scanLine(chunk, start, n);
          let end = scanner.end;
          let text: string | undefined;
          if (end < 0) {
            // A head not seen before: read as text (which learns the head), as string lines are.
            end = chunk.indexOf(10, start);
            if (end < 0) end = n;
            text = LINE_DECODER.decode(chunk.subarray(start, end));
            r = scanner.scan(text);
          }
          if (r !== undefined) routedBytes(r, chunk, start, end);
          else if (other(text ?? LINE_DECODER.decode(chunk.subarray(start, end))) === STOP)
            break read;
          start = end + 1;
          if (queued + unrouted >= bytesBatch) {
            await send();
            if (refused) break read;
          }
        }
        await send();
        if (refused) break read;
        continue;
      }
      for (const text of typeof chunk === 'string' ? [chunk] : chunk) {
        lineNo++;
        // The main thread only routes: a canonical line is scanned, not parsed; its worker parses
        // it (and refuses it, naming the line, if it is bad). Anything else is parsed here.
        const r = scanner.scan(text);
        const due = r === undefined ? other(text) : routed(r, text);
        if (due === STOP) break read;
        if (due) {
          await send();
          if (refused) break read;
        }
      }
    }
    if (!refused && failed === undefined) upTo(Infinity);
    await send();
    await manager.finish();
    if (refused) throw new InputLineError(refused.line, refused.field, refused.detail);
    if (failed !== undefined) throw failed;
    // Asked, not taken from telemetry: the last markers may still be in flight at stop.
    userFailures = await manager.userFailures();
    out += ndjson ? marks.finish() : aligned.finish();
    await flush(0);
  } finally {
    await manager.stop();
  }
  const kept = o.write === undefined && o.writeBytes === undefined;
  return {
    output: !kept ? '' : ndjson ? DECODER.decode(bytes.bytes.subarray(0, bytes.length)) : out,
    events,
    skipped: router.skipped,
    workers: graph.subgraphs.length,
    unmatched: router.unmatched(),
    userFailures,
    parsedHere,
  };
}

const DECODER = new TextDecoder();
/** Input lines: a BOM stays in the text, as Node's stream decoding (the string path) keeps it. */
const LINE_DECODER = new TextDecoder('utf-8', { ignoreBOM: true });
/** What a line handler returns when the line is bad (the run stops before it). */
const STOP = 2;
/**
 * Lines (over all workers) fed from a chunk of bytes before a batch is sent, and at each chunk's
 * end: a batch posts its shared chunk with the offsets of its lines, so several batches per chunk
 * cost no copy. Smaller batches leave fewer parsed events queued in a worker (parsed on arrival),
 * which its garbage collector then has to keep: 1024 against one batch per 512 KiB chunk (~2500
 * lines) cut a 140k-line `--workers 2` run's CPU by ~10% (GC helpers 357 -> 275 ms).
 */
const BYTES_BATCH = 1024;

function dedupe(fs: readonly Feature[]): Feature[] {
  return [...new Map(fs.map((f) => [f.key, f])).values()];
}

function syntheticLists(sources: readonly Feature[], interval?: Interval): NamedDataEvent[][] {
  return sources.flatMap((f) => {
    const def = f.definition;
    if (def.kind !== 'source' || def.generate === undefined) return [];
    if (!interval)
      throw new Error(`synthetic source ${f.toString()} needs start_date and end_date`);
    return [def.generate(f.params, interval.start, interval.end).map((e) => [f, e] as const)];
  });
}
