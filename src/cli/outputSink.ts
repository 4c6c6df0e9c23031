import { fstat, unlinkSync, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import {
  access,
  chmod,
  constants,
  lstat,
  open,
  realpath,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';

/**
 * Where `featurizer run` and `record` write. Obtained from {@link openOutput}, which has already
 * refused every unsafe target, so a caller only writes, then commits or aborts.
 */
export interface OutputSink {
  /** What messages call the output: the path as given, or `standard output`. */
  readonly label: string;
  /** Append text; resolves when it may be called again (backpressure). Errors name the file. */
  write(text: string): Promise<void>;
  /**
   * Append `bytes[0..length)`; resolves when it may be called again, and the caller may then
   * reuse `bytes` (the sink keeps no reference past that). Errors name the file.
   */
  writeBytes(bytes: Uint8Array, length: number): Promise<void>;
  /** Everything is written: flush, and move the temp file into place (if there is one). */
  commit(): Promise<void>;
  /** The run failed: drop the temp file, leaving any existing file as it was. */
  abort(): Promise<void>;
}

/** A refused or failed output; the message names the file. */
export class OutputError extends Error {
  constructor(
    message: string,
    /** A command-line mistake (exit 2) rather than an I/O failure (exit 1). */
    readonly usage = false,
  ) {
    super(message);
  }
}

/** The part of a FileHandle the sink uses (injectable, to test write errors like ENOSPC). */
export interface FileLike {
  write(buf: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOutputOptions {
  /** Files the output must not be (the input, the config), with the option that named them. */
  readonly protect?: readonly { readonly path: string; readonly option: string }[];
  /**
   * Signals on which a pending temp file is removed before the process dies of the signal
   * (default SIGINT, SIGTERM, SIGHUP). `record` leaves SIGINT out: there it means "stop and keep".
   */
  readonly cleanupSignals?: readonly NodeJS.Signals[];
  /** What `-` writes to (default process.stdout). */
  readonly stdout?: NodeJS.WritableStream;
  /** Opens files (default fs.promises.open). */
  readonly openFile?: (file: string, flags: string, mode: number | undefined) => Promise<FileLike>;
}

/**
 * Open `out` for a run, refusing what would lose data, before anything is written:
 *
 * - `-` is standard output (streamed; it cannot be atomic: a failed run has printed part of it).
 * - The input or config file itself — also through a symlink or a hard link (same device and
 *   inode) — is refused.
 * - A symlink is written through: its final target is replaced, the link stays. A dangling one, a
 *   directory or a block device is refused.
 * - A FIFO, character device (`/dev/null`, a terminal) or socket is written directly, never
 *   replaced by a regular file; so is `/dev/stdout` (or `/dev/fd/N`) whatever it points at.
 * - A regular file (or a new one) is written to a temp file in the same directory, then renamed
 *   over it: whole or not at all. The temp file is removed on abort, on exit and on the cleanup
 *   signals. An existing file keeps its permission bits.
 */
export async function openOutput(out: string, o: OpenOutputOptions = {}): Promise<OutputSink> {
  if (out === '-') {
    // `featurizer run -i x.ndjson -o - >> x.ndjson` would feed on itself: standard output is
    // checked like a named --out (fd 1 is this process's stdout unless a test passes a stream).
    const fd1 = o.stdout ? undefined : await promisify(fstat)(1).catch(() => undefined);
    for (const p of o.protect ?? []) {
      if (fd1 && (await sameFile(fd1, p.path))) {
        throw new OutputError(
          `standard output is the same file as ${p.option} ${p.path}: refusing to overwrite it`,
          true,
        );
      }
    }
    return streamSink(o.stdout ?? process.stdout);
  }
  const openFile = o.openFile ?? ((f, flags, mode) => open(f, flags, mode));
  let target = out;
  let st = await lstatOrUndefined(out);
  // /dev/stdout, /dev/fd/N, /proc/self/fd/N name an open file of this process: write to it as the
  // shell set it up (appending after `>>`), never replace what it points at.
  let direct = false;
  if (st?.isSymbolicLink()) {
    direct = /^\/(dev|proc)\//.test(path.resolve(out));
    try {
      st = await stat(out);
      if (!direct && st.isFile()) target = await realpath(out);
    } catch (e) {
      const why = code(e) === 'ENOENT' ? 'to a missing file' : 'that cannot be followed';
      throw new OutputError(`${out}: symbolic link ${why} (${code(e)}); not written`, true);
    }
  }
  for (const p of o.protect ?? []) {
    if (st && (await sameFile(st, p.path))) {
      throw new OutputError(
        `--out ${out} is the same file as ${p.option} ${p.path}: refusing to overwrite it`,
        true,
      );
    }
  }
  if (st?.isDirectory()) throw new OutputError(`${out}: is a directory`, true);
  if (st?.isBlockDevice()) throw new OutputError(`${out}: is a block device; not written`, true);
  if (st && (direct || !st.isFile())) {
    // FIFO, character device, socket, an fd of this process: write through; replacing it would
    // break what reads it. 'a': after `>>` the shell's file keeps what it had.
    const fh = await openFile(out, 'a', undefined).catch((e: unknown) => {
      throw new OutputError(`${out}: cannot open (${message(e)})`);
    });
    return fileSink(out, fh, undefined);
  }
  if (st) {
    await access(target, constants.W_OK).catch((e: unknown) => {
      throw new OutputError(`${out}: cannot write (${message(e)})`);
    });
  }
  const dir = path.dirname(target);
  // 48 random bits as 12 hex digits. Math.random, not node:crypto (loading it cost every run up to
  // ~20 ms at startup): the name needs to be unlikely to exist, not secret — 'wx' below refuses
  // anything already there, so a guessed name can fail a run but never redirect its output.
  const salt = Math.floor(Math.random() * 2 ** 48)
    .toString(16)
    .padStart(12, '0');
  const tmp = path.join(dir, `.${path.basename(target)}.${salt}.tmp`);
  // 'wx': never follow or reuse something already at the temp name.
  const fh = await openFile(tmp, 'wx', 0o666).catch(async (e: unknown) => {
    if (code(e) === 'ENOENT' && !(await lstatOrUndefined(dir)))
      throw new OutputError(`${out}: folder ${dir} does not exist`);
    throw new OutputError(`${out}: cannot write (${message(e)})`);
  });
  return fileSink(out, fh, { tmp, target, mode: st ? st.mode & 0o7777 : undefined }, o);
}

function streamSink(stream: NodeJS.WritableStream): OutputSink {
  let failed: Error | undefined;
  stream.on('error', (e: Error) => (failed = e));
  const check = (): void => {
    if (!failed) return;
    const why = code(failed) === 'EPIPE' ? 'EPIPE: the reader closed it' : message(failed);
    throw new OutputError(`standard output: cannot write (${why})`);
  };
  // Until 'drain' or 'error', then both listeners go (an 'error' listener left per full write
  // made Node warn of a listener leak after 10 of them). once(…, 'error') rejects with the raw
  // error: check() turns it into one naming the output.
  const drained = async (): Promise<void> => {
    const ac = new AbortController();
    const { signal } = ac;
    await Promise.race([once(stream, 'drain', { signal }), once(stream, 'error', { signal })])
      .catch(() => undefined)
      .finally(() => ac.abort());
  };
  return {
    label: 'standard output',
    async write(text) {
      check();
      if (!stream.write(text)) await drained();
      check();
    },
    async writeBytes(bytes, length) {
      check();
      // A copy: the stream may hold a chunk after write() returns, and the caller reuses bytes.
      if (!stream.write(Buffer.from(bytes.subarray(0, length)))) await drained();
      check();
    },
    async commit() {
      check();
    },
    async abort() {},
  };
}

interface Replace {
  readonly tmp: string;
  readonly target: string;
  readonly mode: number | undefined;
}

function fileSink(
  label: string,
  fh: FileLike,
  replace: Replace | undefined,
  o: OpenOutputOptions = {},
): OutputSink {
  let done = false;
  /** The reused encode buffer, and whether a write is using it. */
  let scratch = Buffer.allocUnsafe(1 << 17);
  let busy = false;
  const cleanup = (): void => {
    if (done || !replace) return;
    try {
      unlinkSync(replace.tmp);
    } catch {
      // already gone
    }
  };
  const signals = replace ? (o.cleanupSignals ?? ['SIGINT', 'SIGTERM', 'SIGHUP']) : [];
  const onSignal = (sig: NodeJS.Signals): void => {
    cleanup();
    done = true;
    untrack();
    // Die of the signal as if no handler had been installed (exit status 128 + n for the shell).
    process.kill(process.pid, sig);
  };
  const untrack = (): void => {
    for (const s of signals) process.off(s, onSignal);
    process.off('exit', cleanup);
  };
  for (const s of signals) process.on(s, onSignal);
  process.on('exit', cleanup);
  const fail = (e: unknown): OutputError =>
    e instanceof OutputError ? e : new OutputError(`${label}: cannot write (${message(e)})`);
  return {
    label,
    async write(text) {
      // Encode into one reused buffer while no other write is in flight (the run loop awaits each
      // write before the next): fresh 64 KiB buffers per write cost page faults and GC.
      let buf: Buffer;
      let len: number;
      if (busy) {
        buf = Buffer.from(text, 'utf8');
        len = buf.length;
      } else {
        const need = Buffer.byteLength(text, 'utf8');
        if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
        buf = scratch;
        len = scratch.write(text, 0, 'utf8');
        busy = true;
      }
      try {
        // A write may be partial (pipes, devices): loop until all of it is out.
        for (let off = 0; off < len;) off += (await fh.write(buf, off, len - off)).bytesWritten;
      } catch (e) {
        throw fail(e);
      } finally {
        if (buf === scratch) busy = false;
      }
    },
    async writeBytes(bytes, length) {
      try {
        for (let off = 0; off < length;)
          off += (await fh.write(bytes, off, length - off)).bytesWritten;
      } catch (e) {
        throw fail(e);
      }
    },
    async commit() {
      try {
        if (replace) await fh.datasync();
        await fh.close();
        if (replace) {
          if (replace.mode !== undefined) await chmod(replace.tmp, replace.mode);
          await rename(replace.tmp, replace.target);
        }
      } catch (e) {
        throw fail(e);
      } finally {
        done = true;
        untrack();
      }
    },
    async abort() {
      await fh.close().catch(() => undefined);
      if (replace && !done) await rm(replace.tmp, { force: true });
      done = true;
      untrack();
    },
  };
}

/** Whether `st` (the output, links followed) is the file at `other` (dev + inode). */
async function sameFile(st: Stats, other: string): Promise<boolean> {
  const os = await stat(other).catch(() => undefined);
  // Only a regular file is at risk: `-i /dev/stdin -o /dev/stdout` on a terminal is one device.
  return os !== undefined && st.isFile() && os.dev === st.dev && os.ino === st.ino;
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  return lstat(p).catch(() => undefined);
}

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
