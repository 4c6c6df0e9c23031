import type { Event } from '../core/events.ts';
import { LineBytes, type LinesBatch } from './protocol.ts';

const encoder = new TextEncoder();

/**
 * A feeder's next batch of input lines (the `lines` codec of `BatchedPortTransport`), packed as
 * it is fed: numbers straight into typed arrays, and a line fed as bytes of the batch's read
 * ({@link bytes}) only its range. So a `featurizer run --workers N` line costs the main thread
 * no object and no array element of its own, and sealing a batch of one read's lines is a copy
 * of five typed arrays (no loop over the items). Anything else (a string line, a parsed event, a
 * line of another read) is kept aside by index and packed as before: strings joined by `\n`, or
 * every line copied into one buffer when bytes and strings mix.
 */
export class LinesBuilder {
  /** Items fed since the last {@link seal}. */
  n = 0;
  private seq = new Float64Array(CAPACITY);
  private feat = new Int32Array(CAPACITY);
  private line = new Float64Array(CAPACITY);
  private starts = new Int32Array(CAPACITY);
  private ends = new Int32Array(CAPACITY);
  /** The read the {@link bytes} items come from. */
  private chunk: Uint8Array | undefined;
  /** Items that are not a range of {@link chunk}: `[index, string | LineBytes | Event]`. */
  private others: [number, unknown][] = [];
  private strings = 0;
  private foreign = 0;

  /** Line `line` as the UTF-8 bytes `bytes[start..end)` (no line break). */
  bytes(
    seq: number,
    feat: number,
    line: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): void {
    const i = this.next(seq, feat, line);
    if (this.chunk === undefined || this.chunk === bytes) {
      this.chunk = bytes;
      this.starts[i] = start;
      this.ends[i] = end;
    } else {
      // Another read in the same batch (not how `runWorkers` feeds): copied when sealed.
      this.others.push([i, new LineBytes(bytes, start, end)]);
      this.foreign++;
    }
  }

  /** Line `line` as text, as its bytes ({@link LineBytes}), or already parsed (an event). */
  item(seq: number, feat: number, line: number, ev: string | LineBytes | Event): void {
    if (ev instanceof LineBytes) return this.bytes(seq, feat, line, ev.bytes, ev.start, ev.end);
    const i = this.next(seq, feat, line);
    this.others.push([i, ev]);
    if (typeof ev === 'string') this.strings++;
  }

  /** The batch of everything fed since the last seal (then empty again). */
  seal(n0: number, up: number, t0: number): LinesBatch {
    const n = this.n;
    const parsed: [number, Event][] = [];
    for (const [i, e] of this.others) {
      if (typeof e !== 'string' && !(e instanceof LineBytes)) parsed.push([i, e as Event]);
    }
    const head = {
      t: 'l',
      n0,
      up,
      t0,
      seq: this.seq.slice(0, n),
      feat: this.feat.slice(0, n),
      line: this.line.slice(0, n),
      parsed,
    } as const;
    let packed: LinesBatch;
    if (this.chunk === undefined && this.foreign === 0) {
      const raws = new Array<string>(n).fill('');
      for (const [i, e] of this.others) if (typeof e === 'string') raws[i] = e;
      packed = { ...head, text: raws.join('\n') };
    } else if (this.strings === 0 && this.foreign === 0) {
      // Every line from the one read and none a string: that read's buffer as it is (posting a
      // shared buffer copies nothing; the lines are never copied one by one).
      packed = {
        ...head,
        text: '',
        bytes: this.chunk,
        starts: this.starts.slice(0, n),
        ends: this.ends.slice(0, n),
      };
    } else packed = { ...head, text: '', ...this.copyLines() };
    this.n = 0;
    this.chunk = undefined;
    this.others = [];
    this.strings = 0;
    this.foreign = 0;
    return packed;
  }

  private next(seq: number, feat: number, line: number): number {
    const i = this.n++;
    if (i === this.seq.length) this.grow();
    this.seq[i] = seq;
    this.feat[i] = feat;
    this.line[i] = line;
    this.starts[i] = 0;
    this.ends[i] = 0;
    return i;
  }

  private grow(): void {
    const more = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.seq = more(this.seq);
    this.feat = more(this.feat);
    this.line = more(this.line);
    this.starts = more(this.starts);
    this.ends = more(this.ends);
  }

  /** Every line copied into one buffer (strings encoded; a parsed event's range is empty). */
  private copyLines(): { bytes: Uint8Array; starts: Int32Array; ends: Int32Array } {
    const n = this.n;
    const other = new Array<unknown>(n);
    for (const [i, e] of this.others) other[i] = e;
    const range = (i: number): [Uint8Array, number, number] | undefined => {
      const e = other[i];
      if (e === undefined) return [this.chunk!, this.starts[i]!, this.ends[i]!];
      return e instanceof LineBytes ? [e.bytes, e.start, e.end] : undefined;
    };
    let size = 0;
    for (let i = 0; i < n; i++) {
      const r = range(i);
      const e = other[i];
      size += r ? r[2] - r[1] : typeof e === 'string' ? e.length * 3 : 0;
    }
    const bytes = new Uint8Array(size);
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const r = range(i);
      const e = other[i];
      starts[i] = at;
      if (r) {
        bytes.set(r[0].subarray(r[1], r[2]), at);
        at += r[2] - r[1];
      } else if (typeof e === 'string' && e !== '')
        at += encoder.encodeInto(e, bytes.subarray(at)).written;
      ends[i] = at;
    }
    return { bytes, starts, ends };
  }
}

/** Items a builder holds before its arrays first grow (a feed batch is at most ~1024 lines). */
const CAPACITY = 1024;
