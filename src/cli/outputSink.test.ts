import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import {
  linkSync,
  lstatSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/cli/cliHarness.ts';
import { type FileLike, OutputError, openOutput } from './outputSink.ts';

/** openOutput's rejection, as [message, usage]. */
async function refusal(p: Promise<unknown>): Promise<[string, boolean]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof OutputError) return [e.message, e.usage];
    throw e;
  }
  throw new Error('expected an OutputError');
}

describe('openOutput', () => {
  it('replaces a regular file atomically, keeping its mode, with no temp file left', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.csv');
    writeFileSync(out, 'old\n', { mode: 0o640 });
    const sink = await openOutput(out);
    await sink.write('new ');
    // Until the commit the old content is what a reader sees.
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toHaveLength(2);
    await sink.write('content\n');
    await sink.commit();
    expect(readFileSync(out, 'utf8')).toBe('new content\n');
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('abort leaves an existing file as it was and removes the temp file', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.csv');
    writeFileSync(out, 'old\n');
    const sink = await openOutput(out);
    await sink.write('partial');
    await sink.abort();
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('refuses the input itself, through a symlink and through a hard link, before writing', async () => {
    const dir = tempDir();
    const input = path.join(dir, 'in.ndjson');
    writeFileSync(input, 'precious\n');
    symlinkSync(input, path.join(dir, 'sym.ndjson'));
    linkSync(input, path.join(dir, 'hard.ndjson'));
    for (const name of [
      'in.ndjson',
      'sym.ndjson',
      'hard.ndjson',
      `../${path.basename(dir)}/in.ndjson`,
    ]) {
      const out = path.join(dir, name);
      const protect = [{ path: input, option: '--input' }];
      expect(await refusal(openOutput(out, { protect }))).toEqual([
        `--out ${out} is the same file as --input ${input}: refusing to overwrite it`,
        true,
      ]);
    }
    expect(readFileSync(input, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir).sort()).toEqual(['hard.ndjson', 'in.ndjson', 'sym.ndjson']);
  });

  it('writes through a symlink: the target changes, the link stays a link', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'target.ndjson');
    writeFileSync(target, 'old\n');
    const link = path.join(dir, 'link.ndjson');
    symlinkSync('target.ndjson', link);
    const sink = await openOutput(link);
    await sink.write('new\n');
    await sink.commit();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
  });

  it('refuses a dangling symlink, a directory, and names a missing folder', async () => {
    const dir = tempDir();
    const dangling = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'nowhere', 'x'), dangling);
    expect((await refusal(openOutput(dangling)))[0]).toMatch(
      /dangling: symbolic link to a missing file \(ENOENT\); not written$/,
    );
    const loop = path.join(dir, 'loop');
    symlinkSync('loop', loop);
    expect(await refusal(openOutput(loop))).toEqual([
      `${loop}: symbolic link that cannot be followed (ELOOP); not written`,
      true,
    ]);
    expect(await refusal(openOutput(dir))).toEqual([`${dir}: is a directory`, true]);
    const missing = path.join(dir, 'no', 'out.csv');
    expect(await refusal(openOutput(missing))).toEqual([
      `${missing}: folder ${path.dirname(missing)} does not exist`,
      false,
    ]);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
  });

  it('writes through /dev/null and a FIFO, never replacing them with a regular file', async () => {
    const nul = await openOutput('/dev/null');
    await nul.write('x\n');
    await nul.commit();
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const nullLink = path.join(tempDir(), 'null-link');
    symlinkSync('/dev/null', nullLink);
    const viaLink = await openOutput(nullLink);
    await viaLink.write('x\n');
    await viaLink.commit();
    expect(lstatSync(nullLink).isSymbolicLink()).toBe(true);

    const dir = tempDir();
    const fifo = path.join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const read = new Promise<string>((resolve) => {
      let text = '';
      createReadStream(fifo, 'utf8')
        .on('data', (d) => (text += String(d)))
        .on('end', () => resolve(text));
    });
    const sink = await openOutput(fifo);
    await sink.write('through the pipe\n');
    await sink.commit();
    expect(await read).toBe('through the pipe\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('names the file on ENOSPC: /dev/full, and an injected failing write to a regular file', async () => {
    const full = await openOutput('/dev/full');
    expect(await refusal(full.write('x'.repeat(10_000)))).toEqual([
      '/dev/full: cannot write (ENOSPC: no space left on device, write)',
      false,
    ]);
    await full.abort();

    const dir = tempDir();
    const out = path.join(dir, 'out.ndjson');
    writeFileSync(out, 'old\n');
    let writes = 0;
    const openFile = async (f: string, flags: string, mode: number | undefined) => {
      const fh = await open(f, flags, mode);
      const failing: FileLike = {
        write: (buf, off, len) => {
          if (++writes === 2) {
            const e = Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
            });
            return Promise.reject(e);
          }
          return fh.write(buf, off, len);
        },
        datasync: () => fh.datasync(),
        close: () => fh.close(),
      };
      return failing;
    };
    const sink = await openOutput(out, { openFile });
    await sink.write('first\n');
    expect(await refusal(sink.write('second\n'))).toEqual([
      `${out}: cannot write (ENOSPC: no space left on device, write)`,
      false,
    ]);
    await sink.abort();
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.ndjson']);
  });

  it('`-` leaves no listener behind per full write (Node warned of a leak after 10)', async () => {
    // A slow reader: every write fills the buffer, so each one waits for 'drain'.
    let text = '';
    const stdout = new Writable({
      highWaterMark: 1,
      write(chunk, _enc, done) {
        text += String(chunk);
        setImmediate(done);
      },
    });
    const errors = stdout.listenerCount('error');
    const sink = await openOutput('-', { stdout });
    for (let i = 0; i < 30; i++) {
      await sink.write(`line ${i}\n`);
      await sink.writeBytes(new TextEncoder().encode(`bytes ${i}\n`), 8 + String(i).length);
    }
    expect(stdout.listenerCount('error')).toBeLessThanOrEqual(errors + 1);
    expect(stdout.listenerCount('drain')).toBe(0);
    expect(text.split('\n')).toHaveLength(61);
  });

  it('`-` streams to standard output, and a closed reader is an error naming it', async () => {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (d) => (text += String(d)));
    const sink = await openOutput('-', { stdout });
    expect(sink.label).toBe('standard output');
    await sink.write('a\n');
    await sink.commit();
    expect(text).toBe('a\n');

    const closed = new PassThrough();
    const epipe = await openOutput('-', { stdout: closed });
    closed.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(await refusal(epipe.write('b\n'))).toEqual([
      'standard output: cannot write (EPIPE: the reader closed it)',
      false,
    ]);
  });

  it('writeBytes: partial writes are completed, errors name the file, stdout gets a copy', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.ndjson');
    let writes = 0;
    const openFile = async (f: string, flags: string, mode: number | undefined) => {
      const fh = await open(f, flags, mode);
      const short: FileLike = {
        // At most 3 bytes per call, and the 5th call fails.
        write: (buf, off, len) => {
          if (++writes === 5)
            return Promise.reject(
              Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' }),
            );
          return fh.write(buf, off, Math.min(len, 3));
        },
        datasync: () => fh.datasync(),
        close: () => fh.close(),
      };
      return short;
    };
    const sink = await openOutput(out, { openFile });
    const bytes = new TextEncoder().encode('héllo\nworld');
    await sink.writeBytes(bytes, 7); // 'héllo\n' is 7 bytes: three short writes
    expect(await refusal(sink.writeBytes(bytes, bytes.length))).toEqual([
      `${out}: cannot write (EIO: i/o error, write)`,
      false,
    ]);
    await sink.commit();
    // The first call whole (3 + 3 + 1 bytes), then 3 bytes of the second before it failed.
    expect(readFileSync(out, 'utf8')).toBe('héllo\nhé');

    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (d: Buffer) => chunks.push(d));
    const std = await openOutput('-', { stdout });
    const reused = new TextEncoder().encode('one\n');
    await std.writeBytes(reused, 4);
    reused.set(new TextEncoder().encode('two\n'));
    await std.writeBytes(reused, 4);
    await std.commit();
    expect(Buffer.concat(chunks).toString()).toBe('one\ntwo\n');
  });
});
