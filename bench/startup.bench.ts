// CLI startup (issue 14, target 2: ≤ 0.3 s): wall time of whole `featurizer` processes, as a user
// starts them — `--help`, and a run over a 10-line input — through the package's bin, against
// `node -e 0` measured in the same rounds. The bin runs the prebuilt bundle (dist-cli/), rebuilt
// here first if stale; the same commands from source (FEATURIZER_CLI=source, tsx) show the gain.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** One process, start to exit, in ms; a failing command fails the bench. */
function wallMs({ label, args, env }: Command): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FEATURIZER_CLI: undefined, ...env },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
  return ms;
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
    // Warm the file cache, then alternate baseline and command so load bursts hit both alike.
    [baseline, ...commands].forEach(wallMs);
    const base: number[] = [];
    const times = commands.map((): number[] => []);
    const ratios = commands.map((): number[] => []);
    for (let round = 0; round < ROUNDS; round++) {
      commands.forEach((c, i) => {
        const b = wallMs(baseline);
        const t = wallMs(c);
        base.push(b);
        times[i]!.push(t);
        ratios[i]!.push(t / b);
      });
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `  ${baseline.label.padEnd(40)} ${median(base).toFixed(0).padStart(5)} ms (baseline)`,
    );
    commands.forEach((c, i) => {
      const ms = median(times[i]!);
      const verdict =
        c.env === undefined ? (ms <= TARGET_MS ? '  ≤ 300 ms ✓' : '  > 300 ms ✗') : '';
      console.log(
        `  ${c.label.padEnd(40)} ${ms.toFixed(0).padStart(5)} ms  ${median(ratios[i]!).toFixed(2)}× node -e 0${verdict}`,
      );
    });
  },
};

export default bench;
