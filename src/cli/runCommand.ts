import { createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { ConfigError, formatIssue } from '../core/config/ConfigError.ts';
import { BatchRunner, type BatchFormat } from '../core/batch/BatchRunner.ts';
import { InputLineError } from '../core/batch/inputLine.ts';
import { type PreparedBatch, prepareBatch } from '../core/batch/runBatch.ts';
import { RecordingLineError } from '../sources/recording/RecordingDecoder.ts';
import type { RecordingDecoder } from '../sources/recording/RecordingDecoder.ts';
import { normalizedLines, readInput } from './inputLines.ts';
import type { CliIo } from './main.ts';

export interface RunArgs {
  readonly config: string;
  readonly input: string;
  readonly out: string;
  readonly format: string | undefined;
  readonly quiet: boolean;
  /** Run on this many worker_threads (per-source partitioning); undefined: in this thread. */
  readonly workers?: number;
}

/** Flush the output buffer to disk at about this size: fewer, larger writes. */
const WRITE_CHUNK = 1 << 16;

/**
 * `featurizer run`: stream the input through a BatchRunner line by line (readline, so the file
 * never sits in memory) into a temp file next to `--out`, renamed into place only on success.
 */
export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const format = outputFormat(args);
  if (typeof format === 'object') {
    io.err(`error: ${format.error}\n`);
    return 2;
  }
  let runner: BatchRunner;
  let prepared: PreparedBatch;
  try {
    const ext = path.extname(args.config).toLowerCase();
    const cfgFormat =
      ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
    prepared = prepareBatch(await readFile(args.config, 'utf8'), cfgFormat);
    runner = new BatchRunner(prepared.features, { format, interval: prepared.interval });
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const issue of e.issues) io.err(`error: ${args.config}: ${formatIssue(issue)}\n`);
    } else io.err(`error: ${args.config}: ${(e as Error).message}\n`);
    return 1;
  }
  const tmp = path.join(path.dirname(args.out), `.${path.basename(args.out)}.${process.pid}.tmp`);
  const ws = createWriteStream(tmp);
  let decoder: RecordingDecoder | undefined;
  let workerStats: { events: number; skipped: number } | undefined;
  try {
    await once(ws, 'open');
    if (args.workers !== undefined) {
      workerStats = await runOnWorkers(prepared, args, format, ws, (d) => (decoder = d));
    } else {
      let buf = '';
      for await (const item of readInput(args.input, (d) => (decoder = d))) {
        if (item.kind === 'line') buf += runner.pushLine(item.text, item.lineNo);
        else {
          runner.stats.lines++;
          for (const e of item.events) buf += runner.pushEvent(e);
        }
        if (buf.length >= WRITE_CHUNK) {
          if (!ws.write(buf)) await once(ws, 'drain');
          buf = '';
        }
      }
      ws.end(buf + runner.finish());
    }
    if (!ws.writableEnded) ws.end();
    await once(ws, 'finish');
    await rename(tmp, args.out);
  } catch (e) {
    ws.destroy();
    await rm(tmp, { force: true });
    if (e instanceof InputLineError) io.err(`error: ${args.input}:${e.line}: ${e.message}\n`);
    else if (e instanceof RecordingLineError)
      io.err(`error: ${args.input}:${e.line}: ${e.detail}\n`);
    else if (isFsError(e) && e.path === path.resolve(args.input))
      io.err(`error: ${args.input}: ${e.message}\n`);
    else if (isFsError(e) && e.path === tmp)
      io.err(`error: ${args.out}: cannot write (${e.message})\n`);
    else io.err(`error: ${(e as Error).message}\n`);
    return 1;
  }
  io.err(decoder?.malformedReport(args.input) ?? ''); // bad frames: skipped, never silently
  if (!args.quiet) {
    const s = runner.stats;
    const rec = decoder?.stats;
    const recText = rec
      ? `recording: ${rec.frames} frames, ${rec.gaps} gaps, ${rec.malformedFrames} unreadable frames; `
      : '';
    io.err(
      workerStats
        ? `featurizer: ${workerStats.events} events, ${workerStats.skipped} skipped, on ${args.workers} worker(s) → ${args.out}\n`
        : `featurizer: ${recText}${s.lines} lines, ${s.events} events, ${s.skipped} skipped (no matching source), ` +
            `${s.outputs} ${format === 'csv' ? 'rows' : 'output lines'} → ${args.out}\n`,
    );
  }
  return 0;
}

/** `--workers N`: the same features on worker_threads, partitioned per source. */
async function runOnWorkers(
  prepared: PreparedBatch,
  args: RunArgs,
  format: BatchFormat,
  ws: NodeJS.WritableStream,
  onDecoder: (d: RecordingDecoder) => void,
): Promise<{ events: number; skipped: number }> {
  const { runWorkers } = await import('../runtime/runWorkers.ts');
  const { nodePlatform } = await import('../runtime/node/workerThreads.ts');
  const entry = new URL('../sources/worker/nodeStreamWorker.ts', import.meta.url);
  const lines = normalizedLines(args.input, onDecoder);
  const res = await runWorkers(prepared.features, lines, nodePlatform(entry), {
    format,
    ...(prepared.interval ? { interval: prepared.interval } : {}),
    strategy: { kind: 'per-source' },
    budget: { hardwareConcurrency: availableParallelism(), maxWorkers: args.workers! },
  });
  ws.end(res.output);
  return { events: res.events, skipped: res.skipped };
}

function outputFormat(args: RunArgs): BatchFormat | { error: string } {
  if (args.format !== undefined) {
    return args.format === 'ndjson' || args.format === 'csv'
      ? args.format
      : { error: `--format must be ndjson or csv, got "${args.format}"` };
  }
  const ext = path.extname(args.out).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl' || ext === '.json') return 'ndjson';
  return { error: `cannot tell the format from "${args.out}": use .ndjson or .csv, or --format` };
}

function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && 'code' in e;
}
