import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, formatIssue } from '../core/config/ConfigError.ts';
import { BatchRunner, type BatchFormat } from '../core/batch/BatchRunner.ts';
import { ByteLines } from '../core/batch/ByteLines.ts';
import { InputLineError } from '../core/batch/inputLine.ts';
import { type PreparedBatch, prepareBatch } from '../core/batch/runBatch.ts';
import { RecordingLineError } from '../recording/RecordingDecoder.ts';
import type { RecordingDecoder } from '../recording/RecordingDecoder.ts';
import { RecordingBatch } from '../session/RecordingBatch.ts';
import type { Feature } from '../core/feature/Feature.ts';
import type { UserFailure } from '../core/userdef/UserFeatureSpec.ts';
import { InputKind, readInputBatches } from './inputLines.ts';
import { workerInput } from './inputChunks.ts';
import { DefinitionLoadError, loadDefinitions } from './loadDefinitions.ts';
import { OutputError, type OutputSink, openOutput } from './outputSink.ts';
import type { CliIo } from './CliIo.ts';

export interface RunArgs {
  readonly config: string;
  readonly input: string;
  readonly out: string;
  readonly format: string | undefined;
  readonly quiet: boolean;
  /** Run on this many worker_threads (per-source partitioning); undefined: in this thread. */
  readonly workers?: number;
  /** A configured data source that no input event matched fails the run (else: a warning). */
  readonly strictSources?: boolean;
  /** `--definitions`: user definition modules (files or folders) to load before the config. */
  readonly definitions?: readonly string[];
}

/** Hand the output to the sink at about this size: fewer, larger writes. */
const WRITE_CHUNK = 1 << 16;

/** What a finished run reports. */
interface RunResult {
  readonly summary: string;
  readonly unmatched: readonly Feature[];
  /** Warning lines for a recording's malformed frames ('' when none). */
  readonly malformed: string;
  /** User feature failures the workers reported (in-thread runs report through loadDefinitions). */
  readonly userFailures: readonly UserFailure[];
}

/**
 * `featurizer run`: stream the input through a BatchRunner line by line (readline, so the file
 * never sits in memory) into the output sink (see {@link openOutput}: a temp file next to
 * `--out`, renamed into place only on success; or standard output for `-o -`).
 */
export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const format = outputFormat(args);
  if (typeof format === 'object') {
    io.err(`error: ${format.error}\n`);
    return 2;
  }
  let prepared: PreparedBatch;
  let runner: BatchRunner | undefined;
  const failures: UserFailure[] = [];
  try {
    const ext = path.extname(args.config).toLowerCase();
    const cfgFormat =
      ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
    const configText = await readFile(args.config, 'utf8');
    await loadDefinitions(args.definitions ?? [], configText, args.config, (f) => failures.push(f));
    prepared = prepareBatch(configText, cfgFormat);
    if (args.workers === undefined)
      runner = new BatchRunner(prepared.features, { format, interval: prepared.interval });
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const issue of e.issues) io.err(`error: ${args.config}: ${formatIssue(issue)}\n`);
    } else if (e instanceof DefinitionLoadError) {
      for (const line of e.message.split('\n')) io.err(`error: ${line}\n`);
    } else io.err(`error: ${args.config}: ${(e as Error).message}\n`);
    return 1;
  }
  let sink: OutputSink;
  try {
    sink = await openOutput(args.out, {
      protect: [
        { path: args.input, option: '--input' },
        { path: args.config, option: '--config' },
        ...(args.definitions ?? []).map((p) => ({ path: p, option: '--definitions' })),
      ],
      ...(io.stdout ? { stdout: io.stdout } : {}),
    });
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n`);
    return e instanceof OutputError && e.usage ? 2 : 1;
  }
  let result: RunResult;
  try {
    result = runner
      ? await runInThread(runner, args, format, sink)
      : await runOnWorkers(prepared, args, format, sink, io);
  } catch (e) {
    await sink.abort();
    io.err(`error: ${runErrorText(e, args)}\n`);
    return 1;
  }
  io.err(result.malformed); // bad frames: skipped, never silently
  for (const text of failureWarnings([...failures, ...result.userFailures]))
    io.err(`warning: ${text}\n`);
  for (const f of result.unmatched) {
    io.err(
      `${args.strictSources ? 'error' : 'warning'}: ${args.input}: no event matched data source ${describeSource(f, prepared.features)}\n`,
    );
  }
  if (args.strictSources && result.unmatched.length > 0) {
    await sink.abort();
    io.err(
      `error: --strict-sources: ${result.unmatched.length} data source(s) got no input; ${sink.label} not written\n`,
    );
    return 1;
  }
  try {
    await sink.commit();
  } catch (e) {
    await sink.abort();
    io.err(`error: ${(e as Error).message}\n`);
    return 1;
  }
  if (!args.quiet) io.err(`featurizer: ${result.summary} → ${sink.label}\n`);
  return 0;
}

async function runInThread(
  runner: BatchRunner,
  args: RunArgs,
  format: BatchFormat,
  sink: OutputSink,
): Promise<RunResult> {
  const kind = new InputKind();
  // A recording runs as the studio's export does (one RecordingBatch: byte-identical outputs).
  let recording: RecordingBatch | undefined;
  let lineNo = 1;
  // The runner writes UTF-8 straight into one of two buffers (no output string to flatten and
  // encode); one is written while the next chunk fills the other, and its error surfaces at the
  // next await.
  let buf = new ByteLines();
  let spare = new ByteLines();
  runner.writeInto(buf);
  const lines = (texts: readonly string[]) => {
    for (const text of texts) runner.pushLine(text, lineNo++);
  };
  let writing: Promise<void> = Promise.resolve();
  for await (const batch of readInputBatches(args.input)) {
    const run = kind.push(batch.texts);
    if (run?.kind === 'lines') lines(run.texts);
    else if (run) (recording ??= new RecordingBatch(runner)).pushLines(run.texts);
    if (buf.length >= WRITE_CHUNK) {
      await writing;
      writing = sink.writeBytes(buf.bytes, buf.length);
      writing.catch(() => undefined); // awaited above or below; never an unhandled rejection
      [buf, spare] = [spare, buf];
      buf.clear();
      runner.writeInto(buf);
    }
  }
  lines(kind.end());
  await writing;
  runner.finish();
  await sink.writeBytes(buf.bytes, buf.length);
  const s = runner.stats;
  const rec = recording?.decoder.stats;
  const recText = rec
    ? `recording: ${rec.frames} frames, ${rec.gaps} gaps, ${rec.malformedFrames} unreadable frames; `
    : '';
  return {
    summary:
      `${recText}${s.lines} lines, ${s.events} events, ${s.skipped} skipped (no matching source), ` +
      `${s.outputs} ${format === 'csv' ? 'rows' : 'output lines'}`,
    unmatched: runner.unmatchedSources(),
    malformed: recording?.decoder.malformedReport(args.input) ?? '',
    userFailures: [],
  };
}

/** `--workers N`: the same features on worker_threads, partitioned per source. */
async function runOnWorkers(
  prepared: PreparedBatch,
  args: RunArgs,
  format: BatchFormat,
  sink: OutputSink,
  io: CliIo,
): Promise<RunResult> {
  const { runWorkers } = await import('../runtime/runWorkers.ts');
  const { nodePlatform } = await import('../runtime/node/workerThreads.ts');
  // FEATURIZER_THREAD_CPU=1: where the CPU went, per thread (the benches print it).
  const { ThreadCpu, threadCpuText } = await import('../runtime/node/threadCpu.ts');
  const cpu = process.env.FEATURIZER_THREAD_CPU ? new ThreadCpu() : undefined;
  cpu?.begin();
  // Bundled (dist-cli/cli/main.mjs, see scripts/build-cli.mjs) the worker entry is its bundled
  // twin at the same relative path, which runs without tsx; from source, the .ts through tsx.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.mjs';
  const entry = new URL(`../session/worker/nodeStreamWorker${ext}`, import.meta.url);
  let decoder: RecordingDecoder | undefined;
  // A plain file as bytes: the main thread routes lines without decoding them (see workerInput).
  const lines = workerInput(args.input, (d) => (decoder = d));
  // With two partitions or more, partition 0 runs on this thread, which otherwise mostly waits
  // for the workers: a worker isolate's start-up, JIT warm-up and GC cost more (README #14
  // target 3). A single partition stays on a worker, so routing (here) and processing overlap:
  // on this thread too it made `--workers 1` slower (CPU bound 500 → 545 ms at 140k lines). User
  // code always runs in worker threads (a hang or crash there is caught).
  // FEATURIZER_MAIN_PARTITION=0 puts every partition in a worker thread (the batch bench runs both).
  const { toDagSpec } = await import('../runtime/featureSpec.ts');
  const { partition } = await import('../runtime/ScalingStrategy.ts');
  const strategy = { kind: 'per-source' } as const;
  const budget = { hardwareConcurrency: availableParallelism(), maxWorkers: args.workers! };
  const mainPartition =
    process.env.FEATURIZER_MAIN_PARTITION !== '0' &&
    toDagSpec(prepared.features).userDefinitions === undefined &&
    partition(prepared.features, strategy, budget).subgraphs.length > 1;
  const platform = nodePlatform(entry, cpu, (i) => mainPartition && i === 0);
  const res = await runWorkers(prepared.features, lines, platform, {
    format,
    ...(prepared.interval ? { interval: prepared.interval } : {}),
    strategy,
    budget,
    write: (text) => sink.write(text),
    writeBytes: (bytes, length) => sink.writeBytes(bytes, length),
  });
  if (cpu) io.err(`featurizer: ${threadCpuText(cpu.report())}\n`);
  return {
    summary: `${res.events} events, ${res.skipped} skipped, on ${res.workers} worker(s)${res.workers < args.workers! ? ` (${args.workers} allowed; the pipeline has no more parallel parts)` : ''}`,
    unmatched: res.unmatched,
    userFailures: res.userFailures,
    malformed: (decoder as RecordingDecoder | undefined)?.malformedReport(args.input) ?? '',
  };
}

/**
 * One warning per failed user node, the same lines in the same order in-thread and on any number
 * of workers (where reports arrive in worker order, and a recovered worker may repeat one): by
 * the event that caused it (failures in `init` first), then by text; duplicates once.
 */
function failureWarnings(failures: readonly UserFailure[]): string[] {
  const keyed = failures.map((f) => ({
    t: f.event?.timestamp ?? -Infinity,
    r: f.event?.receipt_timestamp ?? -Infinity,
    text: failureText(f),
  }));
  keyed.sort((a, b) => a.t - b.t || a.r - b.r || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return [...new Set(keyed.map((k) => k.text))];
}

/** A user feature that failed during the run: its output stops there, the rest is written. */
function failureText(f: UserFailure): string {
  const at = f.event
    ? ` on its ${f.slot ?? 'input'} event at timestamp ${f.event.timestamp} (${JSON.stringify(f.event).slice(0, 200)})`
    : '';
  return `user feature ${f.definition} failed${at}: ${f.message}; its outputs stop there`;
}

/** A failed run's message, naming the file and, where known, the line. */
function runErrorText(e: unknown, args: RunArgs): string {
  if (e instanceof InputLineError) return `${args.input}:${e.line}: ${e.message}`;
  if (e instanceof RecordingLineError) return `${args.input}:${e.line}: ${e.detail}`;
  return (e as Error).message;
}

/**
 * A data source as a user wrote it in the config (definition, venue, type, symbol), and the
 * configured features that depend on it.
 */
function describeSource(f: Feature, configured: readonly Feature[]): string {
  const p = f.params;
  const where = [p.exchange, p.instrument_type, p.symbol].filter((x) => x !== undefined);
  const users = configured
    .filter((c) => c.dataSources().some((s) => s.key === f.key))
    .map((c) => c.toString());
  return `${f.definition.name} ${where.join(' ')}${users.length > 0 ? ` (used by ${users.join(', ')})` : ''}`;
}

function outputFormat(args: RunArgs): BatchFormat | { error: string } {
  if (args.format !== undefined) {
    return args.format === 'ndjson' || args.format === 'csv'
      ? args.format
      : { error: `--format must be ndjson or csv, got "${args.format}"` };
  }
  if (args.out === '-') return 'ndjson';
  const ext = path.extname(args.out).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  return { error: `cannot tell the format from "${args.out}": use .ndjson or .csv, or --format` };
}
