// The cluster bench's baselines (#15): `featurizer run` over the same recording, in this process
// (the engine's warm in-thread pass) and as a whole process (node start included).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deploymentFeatures } from '../../src/cluster/Deployment.ts';
import { BatchRunner } from '../../src/core/batch/BatchRunner.ts';
import { RecordingDecoder } from '../../src/recording/RecordingDecoder.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `featurizer run`'s engine over `lines`, in this process: wall and CPU ms, its output. */
export function inThread(
  config: string,
  lines: readonly string[],
): { ms: number; cpuMs: number; out: string; end: string; events: number } {
  const features = deploymentFeatures({ configText: config, configFormat: 'yaml' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const runner = new BatchRunner(features, { format: 'ndjson' });
  const decoder = new RecordingDecoder();
  let out = '';
  lines.forEach((l, i) => {
    for (const e of decoder.pushItems(l, i + 1)) out += runner.pushEvent(e);
  });
  const end = runner.finish();
  out += end;
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuMsSince(cpu0), out, end, events: runner.stats.events };
}

/** /usr/bin/time reports a child's CPU seconds (Node cannot), as in the batch bench. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * The whole `featurizer run` process over the recording (node start, reading the file, writing
 * the output file included): wall and CPU ms, the median of `rounds` runs; its output must be
 * `expected` (the in-thread run's).
 */
export function wholeRun(
  config: string,
  recording: string,
  expected: string,
  rounds = 3,
): { ms: number; cpuMs: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-cluster-bench-'));
  try {
    const [cfg, rec, out] = ['config.yaml', 'rec.ndjson', 'out.ndjson'].map((f) =>
      path.join(dir, f),
    ) as [string, string, string];
    writeFileSync(cfg, config);
    writeFileSync(rec, recording);
    const args = [
      path.join(ROOT, 'bin/featurizer.mjs'),
      'run',
      '-c',
      cfg,
      '-i',
      rec,
      '-o',
      out,
      '-q',
    ];
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const [cmd, argv] = TIME
        ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]]
        : [process.execPath, args];
      const t0 = performance.now();
      const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8' });
      wall.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`featurizer run exited ${r.status}: ${r.stderr}`);
      const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
      cpu.push(m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN);
      if (readFileSync(out, 'utf8') !== expected)
        throw new Error('featurizer run (whole process) differs from the in-thread run');
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    return { ms: median(wall), cpuMs: median(cpu) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU ms (user + system) of this process since `from`. */
export function cpuMsSince(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1000;
}
