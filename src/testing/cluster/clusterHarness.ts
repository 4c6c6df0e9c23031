// Test helpers for the cluster (#15): a real nats-server (scripts/nats.mjs), and the CLI's
// cluster commands as child processes, as an operator would run them.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { startNatsServer, type NatsServerHandle } from '../../../scripts/nats.mjs';
import type { PublishBatch } from '../../cluster/publish.ts';
import { ROOT } from '../cli/cliHarness.ts';

export { startNatsServer, type NatsServerHandle };

/** A CLI child process with its stderr collected. */
export interface CliChild {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/**
 * `featurizer <args>` in the background, its stdout to `onStdout` (else dropped). With
 * `FEATURIZER_CPU_PROF_DIR` set (profiling the cluster bench's processes), the child writes a V8
 * CPU profile there when it exits.
 */
export function spawnCli(args: readonly string[], onStdout?: (chunk: string) => void): CliChild {
  const profDir = process.env.FEATURIZER_CPU_PROF_DIR;
  const prof = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const child = spawn(process.execPath, [...prof, path.join(ROOT, 'bin/featurizer.mjs'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  if (onStdout) child.stdout!.setEncoding('utf8').on('data', onStdout);
  else child.stdout!.resume();
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, stderr: () => err, exited };
}

/**
 * A worker with a short lease and frequent checkpoints (tests: takeovers in seconds, not the
 * default 10 s; the bench passes the defaults, 10 s and 1 s).
 */
export function spawnWorker(url: string, id: string, leaseSec = 2, checkpointSec = 0.3): CliChild {
  return spawnCli([
    'worker',
    '--nats',
    url,
    '--id',
    id,
    '--lease-sec',
    String(leaseSec),
    '--checkpoint-sec',
    String(checkpointSec),
  ]);
}

/** Resolves once `c`'s stderr matches `re` (or rejects after `timeoutMs`). */
export async function waitForStderr(c: CliChild, re: RegExp, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!re.test(c.stderr())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${re} in:\n${c.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM a child still running (a worker releases its leases), SIGKILL after 5 s; resolves when gone. */
export async function stopChild(c: CliChild | undefined): Promise<void> {
  if (!c || c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  const t = setTimeout(() => c.child.kill('SIGKILL'), 5000);
  await c.exited;
  clearTimeout(t);
}

/** Lines as `MarketPublisher.backfill` takes them: batches of 1,000, line numbers from 1, all of one kind. */
export async function* lineItems(
  texts: readonly string[],
  kind: 'r' | 'e',
): AsyncGenerator<PublishBatch> {
  for (let i = 0; i < texts.length; i += 1000)
    yield { texts: texts.slice(i, i + 1000), firstLineNo: i + 1, kind };
}
