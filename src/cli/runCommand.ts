import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError, formatIssue } from '../core/config/ConfigError.ts';
import { BatchRunner, type BatchFormat } from '../core/batch/BatchRunner.ts';
import { InputLineError } from '../core/batch/inputLine.ts';
import { prepareBatch } from '../core/batch/runBatch.ts';
import type { CliIo } from './main.ts';

export interface RunArgs {
  readonly config: string;
  readonly input: string;
  readonly out: string;
  readonly format: string | undefined;
  readonly quiet: boolean;
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
  try {
    const ext = path.extname(args.config).toLowerCase();
    const cfgFormat =
      ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : undefined;
    const { features, interval } = prepareBatch(await readFile(args.config, 'utf8'), cfgFormat);
    runner = new BatchRunner(features, { format, interval });
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const issue of e.issues) io.err(`error: ${args.config}: ${formatIssue(issue)}\n`);
    } else io.err(`error: ${args.config}: ${(e as Error).message}\n`);
    return 1;
  }
  const tmp = path.join(path.dirname(args.out), `.${path.basename(args.out)}.${process.pid}.tmp`);
  const ws = createWriteStream(tmp);
  let lineNo = 0;
  try {
    await once(ws, 'open');
    const rs = createReadStream(args.input, { encoding: 'utf8' });
    const rl = createInterface({ input: rs, crlfDelay: Infinity });
    let buf = '';
    for await (const line of rl) {
      buf += runner.pushLine(line, ++lineNo);
      if (buf.length >= WRITE_CHUNK) {
        if (!ws.write(buf)) await once(ws, 'drain');
        buf = '';
      }
    }
    ws.end(buf + runner.finish());
    await once(ws, 'finish');
    await rename(tmp, args.out);
  } catch (e) {
    ws.destroy();
    await rm(tmp, { force: true });
    if (e instanceof InputLineError) io.err(`error: ${args.input}:${e.line}: ${e.message}\n`);
    else if (isFsError(e) && e.path === path.resolve(args.input))
      io.err(`error: ${args.input}: ${e.message}\n`);
    else if (isFsError(e) && e.path === tmp)
      io.err(`error: ${args.out}: cannot write (${e.message})\n`);
    else io.err(`error: ${(e as Error).message}\n`);
    return 1;
  }
  const s = runner.stats;
  if (!args.quiet) {
    io.err(
      `featurizer: ${s.lines} lines, ${s.events} events, ${s.skipped} skipped (no matching source), ` +
        `${s.outputs} ${format === 'csv' ? 'rows' : 'output lines'} → ${args.out}\n`,
    );
  }
  return 0;
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
