// The prebuilt CLI (scripts/build-cli.mjs → dist-cli/, chosen by bin/featurizer.mjs): it gives
// the sources' bytes, runs without tsx or the sources, and is never used once a source is newer.
// Self-contained (no shared CLI harness): it builds its own bundles in temporary directories.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = path.join(ROOT, 'e2e/fixtures/determinism');
const BUILD = path.join(ROOT, 'scripts/build-cli.mjs');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function node(args: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FEATURIZER_CLI: undefined, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A package directory holding only the launcher and package.json (no src/, no node_modules/). */
function packageCopy(dir: string): string {
  const pkg = path.join(dir, 'pkg');
  mkdirSync(path.join(pkg, 'bin'), { recursive: true });
  for (const f of ['bin/featurizer.mjs', 'bin/cliBundle.mjs', 'package.json'])
    copyFileSync(path.join(ROOT, f), path.join(pkg, f));
  return pkg;
}

/** The text of `entry` and of every file it imports statically, transitively. */
function staticClosure(entry: string): string[] {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    // esbuild's output: `import{…}from"./x.mjs"` or `import"./x.mjs"` (not `import("…")`).
    for (const m of text.matchAll(/\bimport\s*(?:[^("'`]*?from\s*)?["']([^"']+\.mjs)["']/g))
      visit(path.resolve(path.dirname(file), m[1]!));
  };
  visit(entry);
  return [...seen.values()];
}

describe('prebuilt CLI bundle', { timeout: 120_000 }, () => {
  it('gives the same bytes as the sources, in-thread and on 2 workers, without tsx or src/', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-bundle-'));
    const pkg = packageCopy(dir);
    const built = node([BUILD, '--out', path.join(pkg, 'dist-cli')], dir);
    expect([built.code, built.stderr]).toEqual([0, '']);
    // A worker loads the user-definition compiler (~600 kB) only when its pipeline has user
    // definitions: it is not among the files the worker entry imports statically.
    const statics = staticClosure(path.join(pkg, 'dist-cli/session/worker/nodeStreamWorker.mjs'));
    expect(statics.length).toBeGreaterThan(3);
    expect(statics.some((f) => /function compileDefinitionOrThrow\b/.test(f))).toBe(false);
    const cwd = path.join(dir, 'elsewhere');
    mkdirSync(cwd);
    const args = ['run', '-c', `${FIXTURES}/config.yaml`, '-i', `${FIXTURES}/input.ndjson`];
    for (const workers of [[], ['--workers', '2']]) {
      const outputs = [
        // The copy has no node_modules and no src: only the bundle can run there. Forced, and
        // chosen by the launcher itself because the bundle is fresh.
        { bin: path.join(pkg, 'bin/featurizer.mjs'), mode: 'bundle' },
        { bin: path.join(pkg, 'bin/featurizer.mjs'), mode: 'auto' },
        { bin: path.join(ROOT, 'bin/featurizer.mjs'), mode: 'source' },
      ].map(({ bin, mode }) => {
        const out = path.join(cwd, `out-${mode}-${workers.length}.ndjson`);
        const r = node([bin, ...args, ...workers, '-o', out, '-q'], cwd, { FEATURIZER_CLI: mode });
        expect([mode, r.code, r.stderr]).toEqual([mode, 0, '']);
        return readFileSync(out, 'utf8');
      });
      expect(outputs[0]!.length).toBeGreaterThan(10_000);
      expect(outputs[1]).toBe(outputs[0]);
      expect(outputs[2]).toBe(outputs[0]);
    }
    // --version reads the package.json beside the bundle's package, as from source.
    const version = node([path.join(pkg, 'bin/featurizer.mjs'), '--version'], cwd);
    expect(version.stdout).toBe(
      `${JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version}\n`,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the sources once one is newer than the bundle, and --if-stale rebuilds it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-stale-'));
    const pkg = packageCopy(dir);
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));
    const main = path.join(pkg, 'src/cli/main.ts');
    mkdirSync(path.dirname(main), { recursive: true });
    mkdirSync(path.join(pkg, 'src/session/worker'), { recursive: true });
    writeFileSync(path.join(pkg, 'src/session/worker/nodeStreamWorker.ts'), 'export {};\n');
    // Says which build it is and whether it runs from the .ts source or from the bundle.
    const version = (v: string): void =>
      writeFileSync(
        main,
        `export async function main(): Promise<number> {
          process.stdout.write('${v} ' + (import.meta.url.endsWith('.ts') ? 'source' : 'bundle'));
          return 0;
        }\n`,
      );
    const bin = path.join(pkg, 'bin/featurizer.mjs');
    const launch = (mode = 'auto'): string => {
      const r = node([bin], dir, { FEATURIZER_CLI: mode });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const build = (...flags: string[]): string => {
      const r = node([BUILD, '--root', pkg, ...flags], dir);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return r.stdout;
    };
    const manifest = path.join(pkg, 'dist-cli/manifest.json');

    version('v1');
    expect(launch()).toBe('v1 source'); // no bundle yet
    expect(build('--if-stale')).toMatch(/bundled the CLI/);
    expect(launch()).toBe('v1 bundle');

    version('v2');
    // Saved after the build started, whatever the file system's timestamp granularity.
    const builtAtMs = JSON.parse(readFileSync(manifest, 'utf8')).builtAtMs as number;
    utimesSync(main, new Date(builtAtMs + 1), new Date(builtAtMs + 1));
    expect(launch()).toBe('v2 source');
    expect(launch('bundle')).toBe('v1 bundle'); // forced: even a stale bundle
    expect(launch('source')).toBe('v2 source');

    expect(build('--if-stale')).toMatch(/bundled the CLI/);
    expect(launch()).toBe('v2 bundle');
    expect(build('--if-stale')).toMatch(/up to date/);

    // A missing output or an unreadable manifest is not a bundle.
    rmSync(path.join(pkg, 'dist-cli/session/worker/nodeStreamWorker.mjs'));
    expect(launch()).toBe('v2 source');
    build();
    writeFileSync(manifest, '{"builtAtMs": ');
    expect(launch()).toBe('v2 source');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads manifest paths as the URL references they are (escapes, ../, nested)', async () => {
    // bundleIsFresh maps references to paths by hand (no URL per file); this holds it to URLs.
    const { bundleIsFresh } = (await import(
      pathToFileURL(path.join(ROOT, 'bin/cliBundle.mjs')).href
    )) as { bundleIsFresh: (dir: URL) => boolean };
    const dir = mkdtempSync(path.join(tmpdir(), 'featurizer-manifest-'));
    const dist = path.join(dir, 'pkg', 'dist-cli');
    mkdirSync(path.join(dist, 'cli'), { recursive: true });
    mkdirSync(path.join(dir, 'odd %20 #name'), { recursive: true });
    const files = [path.join(dist, 'cli/main.mjs'), path.join(dir, 'odd %20 #name/a b.ts')];
    for (const f of files) writeFileSync(f, '');
    const refs = files.map((f) =>
      path.relative(dist, f).split(path.sep).map(encodeURIComponent).join('/'),
    );
    const builtAtMs = Date.now() + 60_000;
    const write = (inputs: string[], outputs: string[]): void =>
      writeFileSync(
        path.join(dist, 'manifest.json'),
        JSON.stringify({ builtAtMs, inputs, outputs }),
      );
    const url = pathToFileURL(`${dist}/`);
    write([refs[1]!], [refs[0]!]);
    expect(bundleIsFresh(url)).toBe(true);
    utimesSync(files[1]!, new Date(builtAtMs + 1), new Date(builtAtMs + 1));
    expect(bundleIsFresh(url)).toBe(false); // the escaped input was found and is newer
    write([refs[1]!.replace('a%20b', 'a%20c')], [refs[0]!]);
    expect(bundleIsFresh(url)).toBe(false); // a missing input
    write([], ['cli/other.mjs']);
    expect(bundleIsFresh(url)).toBe(false); // a missing output
    write([], ['cli/../cli/main.mjs']);
    expect(bundleIsFresh(url)).toBe(true); // an odd reference still resolves as a URL would
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown FEATURIZER_CLI', () => {
    const r = node([path.join(ROOT, 'bin/featurizer.mjs'), '--help'], ROOT, {
      FEATURIZER_CLI: 'fast',
    });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'error: FEATURIZER_CLI must be "auto", "source" or "bundle", got "fast"\n',
    ]);
  });
});
