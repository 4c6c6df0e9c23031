// CLI startup (issue 14, target 2: ≤ 0.3 s): wall time of whole `featurizer` processes, as a user
// starts them — `--help`, and a run over a 10-line input — through the package's bin, against
// `node -e 0` measured in the same rounds. The bin runs the prebuilt bundle (dist-cli/), rebuilt
// here first if stale; the same commands from source (FEATURIZER_CLI=source, tsx) show the gain.
// Wall time swings with the machine's load, so each figure comes with its CPU time (user + sys,
// from /usr/bin/time) and the load average when the bench ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Bench } from './harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin/featurizer.mjs');
const FIXTURES = path.join(ROOT, 'e2e/fixtures/determinism');
const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 10);
const TARGET_MS = 300;

interface Command {
  readonly label: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
}

/** /usr/bin/time reports a child's CPU seconds (Node cannot). */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Timing {
  readonly ms: number;
  /** User + sys CPU ms (NaN without /usr/bin/time). */
  readonly cpuMs: number;
}

/** One process, start to exit; a failing command fails the bench. */
function timed({ label, args, env }: Command): Timing {
  const [cmd, argv] = TIME
    ? [TIME, ['-f', 'cpu %U %S', process.execPath, ...args]]
    : [process.execPath, [...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FEATURIZER_CLI: undefined, ...env },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const bench: Bench = {
  name: 'startup',
  description: 'featurizer --help and a 10-line run, whole process, vs `node -e 0`',
  run() {
    const build = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/build-cli.mjs'), '--if-stale'],
      {
        encoding: 'utf8',
      },
    );
    if (build.status !== 0) throw new Error(`build-cli failed: ${build.stderr}`);
    console.log(`  ${build.stdout.trim()}`);

    const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-startup-'));
    const input = path.join(dir, 'input.ndjson');
    const lines = readFileSync(path.join(FIXTURES, 'input.ndjson'), 'utf8').split('\n');
    writeFileSync(input, `${lines.slice(0, 10).join('\n')}\n`);
    const run = ['run', '-c', path.join(FIXTURES, 'config.yaml'), '-i', input];
    const runArgs = [BIN, ...run, '-o', path.join(dir, 'out.ndjson'), '-q'];
    const baseline: Command = { label: 'node -e 0', args: ['-e', '0'] };
    const commands: Command[] = [
      // No FEATURIZER_CLI: the bin's own choice, freshness check included (fresh: just built).
      { label: 'featurizer --help (bundle)', args: [BIN, '--help'] },
      { label: 'featurizer run, 10 lines (bundle)', args: runArgs },
      {
        label: 'featurizer --help (source, tsx)',
        args: [BIN, '--help'],
        env: { FEATURIZER_CLI: 'source' },
      },
      {
        label: 'featurizer run, 10 lines (source, tsx)',
        args: runArgs,
        env: { FEATURIZER_CLI: 'source' },
      },
    ];
    const load = () =>
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    const loadBefore = load();
    // Warm the file cache, then alternate baseline and command so load bursts hit both alike.
    [baseline, ...commands].forEach(timed);
    const base: Timing[] = [];
    const times = commands.map((): Timing[] => []);
    const ratios = commands.map((): number[] => []);
    for (let round = 0; round < ROUNDS; round++) {
      commands.forEach((c, i) => {
        const b = timed(baseline);
        const t = timed(c);
        base.push(b);
        times[i]!.push(t);
        ratios[i]!.push(t.ms / b.ms);
      });
    }
    rmSync(dir, { recursive: true, force: true });
    const ms = (ts: readonly Timing[]) => median(ts.map((t) => t.ms));
    const cpu = (ts: readonly Timing[]) =>
      TIME
        ? `  ${median(ts.map((t) => t.cpuMs))
            .toFixed(0)
            .padStart(4)} ms CPU`
        : '';
    console.log(`  load average before ${loadBefore}, after ${load()} (2 cores)`);
    console.log(
      `  ${baseline.label.padEnd(40)} ${ms(base).toFixed(0).padStart(5)} ms wall${cpu(base)} (baseline)`,
    );
    commands.forEach((c, i) => {
      const wall = ms(times[i]!);
      const verdict =
        c.env === undefined ? (wall <= TARGET_MS ? '  ≤ 300 ms ✓' : '  > 300 ms ✗') : '';
      console.log(
        `  ${c.label.padEnd(40)} ${wall.toFixed(0).padStart(5)} ms wall${cpu(times[i]!)}  ${median(ratios[i]!).toFixed(2)}× node -e 0${verdict}`,
      );
    });
  },
};

export default bench;
