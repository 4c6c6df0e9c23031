// `featurizer run` as a user sees it: file safety, error messages naming the file, unmatched
// sources, and --workers. Mostly in-process through main() (spawning the CLI is slow); the signal
// and the bin-on-PATH cases need a real child process.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, tempDir } from '../testing/cli/cliHarness.ts';
import { main } from './main.ts';

/** main() in this process, collecting stderr and what `-o -` prints. */
async function run(args: readonly string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const stdout = new PassThrough();
  stdout.on('data', (d) => (out += String(d)));
  const code = await main(['run', ...args], {
    out: () => {},
    err: (t) => void (err += t),
    stdout,
  });
  return { code, err, out };
}

/** A temp dir with the determinism fixture's config and input. */
function fixture(): { dir: string; config: string; input: string } {
  const dir = tempDir();
  const config = path.join(dir, 'config.yaml');
  const input = path.join(dir, 'input.ndjson');
  copyFileSync(`${FIXTURES}/config.yaml`, config);
  copyFileSync(`${FIXTURES}/input.ndjson`, input);
  return { dir, config, input };
}

describe('featurizer run: files', { timeout: 60_000 }, () => {
  it('refuses the input or the config as --out before writing anything (exit 2)', async () => {
    const { dir, config, input } = fixture();
    const before = readFileSync(input, 'utf8');
    symlinkSync(input, path.join(dir, 'alias.ndjson'));
    const a = await run(['-c', config, '-i', input, '-o', path.join(dir, 'alias.ndjson')]);
    expect(a.code).toBe(2);
    expect(a.err).toBe(
      `error: --out ${dir}/alias.ndjson is the same file as --input ${input}: refusing to overwrite it\n`,
    );
    const b = await run(['-c', config, '-i', input, '-o', config, '-f', 'csv']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/is the same file as --config .*config\.yaml: refusing to overwrite it/);
    expect(readFileSync(input, 'utf8')).toBe(before);
    expect(readFileSync(config, 'utf8')).toBe(readFileSync(`${FIXTURES}/config.yaml`, 'utf8'));
    expect(readdirSync(dir).sort()).toEqual(['alias.ndjson', 'config.yaml', 'input.ndjson']);
  });

  it('-o - prints to standard output (NDJSON by default) the bytes a file would get', async () => {
    const { dir, config, input } = fixture();
    const toFile = await run(['-c', config, '-i', input, '-o', path.join(dir, 'o.ndjson'), '-q']);
    const toStdout = await run(['-c', config, '-i', input, '-o', '-']);
    expect([toFile.code, toStdout.code]).toEqual([0, 0]);
    expect(toStdout.out.length).toBeGreaterThan(10_000);
    expect(toStdout.out).toBe(readFileSync(path.join(dir, 'o.ndjson'), 'utf8'));
    expect(toStdout.err).toMatch(/output lines → standard output\n$/);
  });

  it('names the input that is not gzip, or a truncated gzip, and writes nothing', async () => {
    const { dir, config, input } = fixture();
    const notGzip = path.join(dir, 'plain.ndjson.gz');
    copyFileSync(input, notGzip);
    const truncated = path.join(dir, 'cut.ndjson.gz');
    const gz = gzipSync(readFileSync(input));
    writeFileSync(truncated, gz.subarray(0, gz.length >> 1));
    const out = path.join(dir, 'o.csv');
    const a = await run(['-c', config, '-i', notGzip, '-o', out]);
    expect([a.code, a.err]).toEqual([
      1,
      `error: ${notGzip}: not gzip data (incorrect header check)\n`,
    ]);
    const b = await run(['-c', config, '-i', truncated, '-o', out]);
    expect(b.code).toBe(1);
    expect(b.err).toMatch(
      new RegExp(
        `^error: ${truncated}: truncated gzip file after \\d+ lines \\(unexpected end of file\\)\n$`,
      ),
    );
    const c = await run(['-c', config, '-i', path.join(dir, 'missing.ndjson'), '-o', out]);
    expect(c.err).toBe(`error: ${dir}/missing.ndjson: no such file\n`);
    expect(readdirSync(dir).sort()).toEqual([
      'config.yaml',
      'cut.ndjson.gz',
      'input.ndjson',
      'plain.ndjson.gz',
    ]);
  });

  it('names the output on ENOSPC (/dev/full)', async () => {
    const { config, input } = fixture();
    const r = await run(['-c', config, '-i', input, '-o', '/dev/full', '-f', 'csv']);
    expect([r.code, r.err]).toEqual([
      1,
      'error: /dev/full: cannot write (ENOSPC: no space left on device, write)\n',
    ]);
  });

  it('reports a data source no event matched; --strict-sources fails the run', async () => {
    const { dir, config, input } = fixture();
    const cfg = readFileSync(config, 'utf8').replace(/symbol: BTC-USDT/g, 'symbol: BTC-USDX');
    writeFileSync(config, cfg);
    const out = path.join(dir, 'o.csv');
    const warned = await run(['-c', config, '-i', input, '-o', out]);
    expect(warned.code).toBe(0);
    expect(warned.err.split('\n').filter((l) => !l.startsWith('featurizer:'))).toEqual([
      `warning: ${input}: no event matched data source l2_book SIM spot BTC-USDX (used by mid, book, volatility)`,
      `warning: ${input}: no event matched data source trades SIM spot BTC-USDX (used by tvi, ohlcv)`,
      '',
    ]);
    const strict = await run([
      '-c',
      config,
      '-i',
      input,
      '-o',
      path.join(dir, 's.csv'),
      '--strict-sources',
    ]);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(
      /^error: .*no event matched data source l2_book SIM spot BTC-USDX \(used by mid, book, volatility\)\n/,
    );
    expect(strict.err).toMatch(
      /--strict-sources: 2 data source\(s\) got no input; .*s\.csv not written\n$/,
    );
    expect(readdirSync(dir).sort()).toEqual(['config.yaml', 'input.ndjson', 'o.csv']);
    // Every source fed: no warning, and --strict-sources passes.
    const ok = await run([
      '-c',
      `${FIXTURES}/config.yaml`,
      '-i',
      input,
      '-o',
      out,
      '--strict-sources',
    ]);
    expect([ok.code, ok.err]).toEqual([0, expect.not.stringMatching(/warning|error/)]);
  });

  it.each(['ndjson', 'csv'])(
    '--workers gives the in-thread bytes (%s) and reports the workers it used',
    async (format) => {
      const { dir, config, input } = fixture();
      const one = path.join(dir, `one.${format}`);
      const many = path.join(dir, `many.${format}`);
      expect((await run(['-c', config, '-i', input, '-o', one])).code).toBe(0);
      const w = await run(['-c', config, '-i', input, '-o', many, '--workers', '8']);
      expect(w.code).toBe(0);
      expect(readFileSync(many, 'utf8')).toBe(readFileSync(one, 'utf8'));
      // The fixture config has two sources: per-source partitioning uses two workers, not eight.
      expect(w.err).toMatch(/on 2 worker\(s\) \(8 allowed; .*\) → /);
    },
  );
});

describe('featurizer run: processes', { timeout: 60_000 }, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'removes its temp file on %s and leaves an existing output as it was',
    async (signal) => {
      const { dir, config } = fixture();
      const fifo = path.join(dir, 'events.ndjson');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const out = path.join(dir, 'out.csv');
      writeFileSync(out, 'previous\n');
      const child = spawn(
        process.execPath,
        [path.join(ROOT, 'bin/featurizer.mjs'), 'run', '-c', config, '-i', fifo, '-o', out],
        { cwd: dir },
      );
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
      // Feed part of the input and keep the pipe open: the run is mid-way, its temp file exists.
      const writer = createWriteStream(fifo);
      // Wait until the part is in the pipe: killing the reader while the write is still queued
      // failed the write with EPIPE, an unhandled error (seen 1 run in 3).
      await new Promise((r) =>
        writer.write(readFileSync(`${FIXTURES}/input.ndjson`, 'utf8').slice(0, 50_000), r),
      );
      for (let i = 0; i < 200 && readdirSync(dir).every((f) => !f.endsWith('.tmp')); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
      child.kill(signal);
      expect(await exited).toBe(signal);
      writer.destroy();
      expect(readdirSync(dir).sort()).toEqual([
        'config.yaml',
        'events.ndjson',
        'input.ndjson',
        'out.csv',
      ]);
      expect(readFileSync(out, 'utf8')).toBe('previous\n');
    },
  );

  it('writes /dev/stdout as the shell set it up (>> appends) and refuses stdout onto the input', async () => {
    const { dir } = fixture();
    const bin = `"${process.execPath}" "${ROOT}/bin/featurizer.mjs" run -c config.yaml -i input.ndjson`;
    const script = [
      `${bin} -o /dev/stdout -f ndjson -q > out.ndjson`,
      `${bin} -o /dev/stdout -f ndjson -q >> out.ndjson`,
      `${bin} -o - -q >> input.ndjson; echo "rc=$?"`,
    ].join('\n');
    const r = spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });
    const once = (await run(['-c', `${dir}/config.yaml`, '-i', `${dir}/input.ndjson`, '-o', '-']))
      .out;
    expect(once.length).toBeGreaterThan(10_000);
    expect(readFileSync(path.join(dir, 'out.ndjson'), 'utf8')).toBe(once + once);
    expect(r.stdout).toBe('rc=2\n');
    expect(r.stderr).toBe(
      'error: standard output is the same file as --input input.ndjson: refusing to overwrite it\n',
    );
    expect(readFileSync(path.join(dir, 'input.ndjson'), 'utf8')).toBe(
      readFileSync(`${FIXTURES}/input.ndjson`, 'utf8'),
    );
  });

  it('--workers works through the installed bin on PATH from any working directory', () => {
    const { dir, config, input } = fixture();
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    // What `npm install` links into node_modules/.bin.
    symlinkSync(path.join(ROOT, 'bin/featurizer.mjs'), path.join(bin, 'featurizer'));
    const cwd = path.join(dir, 'elsewhere');
    mkdirSync(cwd);
    const r = spawnSync(
      'featurizer',
      ['run', '-c', config, '-i', input, '-o', 'o.csv', '-w', '2'],
      {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin` },
      },
    );
    expect([r.status, r.stderr]).toEqual([
      0,
      expect.stringMatching(/on 2 worker\(s\) → o\.csv\n$/),
    ]);
    const expected = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin/featurizer.mjs'),
        'run',
        '-c',
        config,
        '-i',
        input,
        '-o',
        '-',
        '-f',
        'csv',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(readFileSync(path.join(cwd, 'o.csv'), 'utf8')).toBe(expected.stdout);
  });
});
