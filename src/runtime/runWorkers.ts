import type { BatchFormat } from '../core/batch/BatchRunner.ts';
import type { Interval } from '../core/batch/configInterval.ts';
import { parseGapLine } from '../core/batch/gaps.ts';
import { parseInputLine } from '../core/batch/inputLine.ts';
import { mergeByTimestamp } from '../core/batch/merge.ts';
import { OutputWriter } from '../core/batch/OutputWriter.ts';
import { SeqAligner } from '../core/batch/SeqAligner.ts';
import { SourceRouter } from '../core/batch/routing.ts';
import type { Event } from '../core/events.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { NamedDataEvent } from '../core/graph/FeatureStreamGraph.ts';
import type { RuntimePlatform } from './ports.ts';
import { partition, type ScalingStrategy, type WorkerBudgetOptions } from './ScalingStrategy.ts';
import { StreamManager, type StreamManagerOptions } from './StreamManager.ts';

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
}

/**
 * The batch job of `featurizer run --workers N`: normalized NDJSON input lines in file order,
 * run across workers, NDJSON or CSV out. Output order is canonical — by input, then output
 * position, then emission — so it is byte-identical for every partitioning and worker count.
 * The in-thread BatchRunner uses the same order, so `--workers N` equals the default run too.
 */
export async function runWorkers(
  features: readonly Feature[],
  lines: Iterable<string> | AsyncIterable<string>,
  platform: RuntimePlatform,
  o: RunWorkersOptions,
): Promise<{ output: string; events: number; skipped: number }> {
  const graph = partition(features, o.strategy, o.budget);
  // Output text (CSV join, gap markers) comes from core/batch: the aligner replays the in-thread
  // call order from the input numbers, so the bytes equal the in-thread run's.
  const writer = new OutputWriter(features, o.format);
  const aligned = new SeqAligner(writer);
  const parts: string[] = [writer.header()];
  const add = (text: string): void => {
    if (text !== '') parts.push(text);
  };
  const manager = new StreamManager(graph, platform, {
    ...o.manager,
    onOutputs: (outs) => add(aligned.outputs(outs)),
    onProgress: (seq) => add(aligned.progress(seq)),
  });
  await manager.start();
  const sources = features.flatMap((f) => f.dataSources());
  const router = new SourceRouter(dedupe(sources));
  const synthetic = mergeByTimestamp(syntheticLists(dedupe(sources), o.interval));
  let synPos = 0;
  let batch: { source: number; ev: Event }[] = [];
  let events = 0;
  let fed = 0;
  o.onStarted?.(manager, () => fed);
  const index = new Map<string, number>();
  const nodeOf = (f: Feature): number => {
    let i = index.get(f.key);
    if (i === undefined) index.set(f.key, (i = manager.sourceIndex(f)));
    return i;
  };
  const upTo = (sec: number): void => {
    while (synPos < synthetic.length && synthetic[synPos]![1].timestamp <= sec) {
      const [f, ev] = synthetic[synPos++]!;
      batch.push({ source: nodeOf(f), ev });
      aligned.input(f, ev.timestamp);
    }
  };
  const send = async (): Promise<void> => {
    fed += batch.length;
    await manager.feed(batch);
    batch = [];
  };
  let lineNo = 0;
  try {
    for await (const text of lines) {
      const gap = parseGapLine(text, ++lineNo);
      if (gap) {
        aligned.gap(gap);
        continue;
      }
      const m = parseInputLine(text, lineNo);
      if (m === undefined) continue;
      const f = router.route(m);
      if (f === undefined) continue;
      upTo(m.event.timestamp);
      batch.push({ source: nodeOf(f), ev: m.event });
      aligned.input(f, m.event.timestamp);
      events++;
      if (batch.length >= (o.feedBatch ?? 512)) await send();
    }
    upTo(Infinity);
    await send();
    await manager.finish();
    parts.push(aligned.finish());
  } finally {
    await manager.stop();
  }
  return { output: parts.join(''), events, skipped: router.skipped };
}

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
