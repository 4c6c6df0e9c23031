import type { ByteLines } from '../core/batch/ByteLines.ts';
import { ByteRunCopier } from '../core/batch/ByteRunCopier.ts';
import { isLineFailure } from './parseRawLines.ts';
import type { LineFailure, TextBatch } from './protocol.ts';

interface Stream {
  readonly batches: TextBatch[];
  /** Next item of `batches[0]`. */
  i: number;
}

/** One item of a seq group that is not copied as a plain run. */
interface Entry {
  readonly b: TextBatch;
  readonly k: number;
  readonly pos: number;
}

/**
 * The byte twin of {@link OutputCollector} for a batch run's NDJSON results ({@link TextBatch}):
 * merges the workers' streams into the canonical order — by input `seq`, then output position,
 * then stream (worker) order, then emission — and copies each item's bytes into the output, so the
 * main thread never builds a string per line. The order is exactly the collector's (a stable sort
 * of the streams' items by seq and position). Contiguous items of one batch are copied at once.
 */
export class TextMerger {
  private readonly streams: Stream[];
  private readonly byWorker = new Map<number, Stream>();
  /** Adjacent items of one batch join one copy. */
  private readonly runs = new ByteRunCopier();

  /** `workers`: the result streams, in the order that breaks ties (the collector's). */
  constructor(workers: readonly number[]) {
    this.streams = workers.map((w) => {
      const s: Stream = { batches: [], i: 0 };
      this.byWorker.set(w, s);
      return s;
    });
  }

  /** A worker's next results batch (its items in emission order). */
  add(worker: number, b: TextBatch): void {
    if (b.seq.length > 0) this.byWorker.get(worker)?.batches.push(b);
  }

  /** Items held (tests: memory stays bounded by the watermark). */
  get held(): number {
    let n = 0;
    for (const s of this.streams) for (const b of s.batches) n += b.seq.length;
    return n - this.streams.reduce((a, s) => a + s.i, 0);
  }

  /**
   * Write every item with `seq <= upTo` into `out` in canonical order; before the first item of
   * each input, the text `before(seq)` returns (gap markers). At a refused line (a
   * {@link LineFailure} item) writing stops: that failure and every later one up to `upTo` are
   * returned (the caller reports the lowest line) and nothing more is written.
   */
  release(upTo: number, out: ByteLines, before: (seq: number) => string): LineFailure[] {
    for (;;) {
      let seq = Infinity;
      for (const s of this.streams) {
        const b = s.batches[0];
        if (b !== undefined && b.seq[s.i]! < seq) seq = b.seq[s.i]!;
      }
      if (seq > upTo || seq === Infinity) break;
      const note = before(seq);
      if (note !== '') {
        this.flush(out);
        out.text(note);
      }
      let owners = 0;
      let only: Stream | undefined;
      for (const s of this.streams) {
        const b = s.batches[0];
        if (b !== undefined && b.seq[s.i] === seq) {
          owners++;
          only = s;
        }
      }
      const failed = owners === 1 ? this.single(only!, seq, out, upTo) : this.mixed(seq, out, upTo);
      if (failed) return failed;
    }
    this.flush(out);
    return [];
  }

  /** Input `seq`'s items, all in one stream: a run, unless its positions need sorting. */
  private single(s: Stream, seq: number, out: ByteLines, upTo: number): LineFailure[] | undefined {
    const b = s.batches[0]!;
    let k = s.i;
    let sorted = true;
    let failure = false;
    for (; k < b.seq.length && b.seq[k] === seq; k++) {
      if (k > s.i && b.feat[k]! < b.feat[k - 1]!) sorted = false;
      if (isLineFailure(b.feat[k]!)) failure = true;
    }
    if (!sorted || failure) return this.mixed(seq, out, upTo);
    this.copy(b, s.i, k, out);
    this.advance(s, k);
    return undefined;
  }

  /** Input `seq`'s items from several streams (or unsorted, or with a failure): one by one. */
  private mixed(seq: number, out: ByteLines, upTo: number): LineFailure[] | undefined {
    const group: Entry[] = [];
    for (const s of this.streams) {
      const b = s.batches[0];
      if (b === undefined) continue;
      let k = s.i;
      for (; k < b.seq.length && b.seq[k] === seq; k++) group.push({ b, k, pos: b.feat[k]! });
      // A seq never spans two batches of one stream (a worker flushes between inputs).
      if (k > s.i) this.advance(s, k);
    }
    // Stable: equal positions keep stream, then emission order.
    group.sort((x, y) => x.pos - y.pos);
    for (let g = 0; g < group.length; g++) {
      const e = group[g]!;
      if (isLineFailure(e.pos)) {
        this.flush(out);
        return [
          ...group.slice(g).filter((x) => isLineFailure(x.pos)),
          ...this.failuresUpTo(upTo),
        ].map((x) => failureOf(x.b, x.k));
      }
      this.copy(e.b, e.k, e.k + 1, out);
    }
    return undefined;
  }

  /** Every failure item left with `seq <= upTo` (consumed: writing has stopped). */
  private failuresUpTo(upTo: number): Entry[] {
    const found: Entry[] = [];
    for (const s of this.streams) {
      while (s.batches.length > 0) {
        const b = s.batches[0]!;
        let k = s.i;
        for (; k < b.seq.length && b.seq[k]! <= upTo; k++) {
          if (isLineFailure(b.feat[k]!)) found.push({ b, k, pos: b.feat[k]! });
        }
        if (k < b.seq.length) {
          s.i = k;
          break;
        }
        this.advance(s, k);
      }
    }
    return found;
  }

  private advance(s: Stream, k: number): void {
    const b = s.batches[0]!;
    if (k < b.seq.length) s.i = k;
    else {
      s.batches.shift();
      s.i = 0;
    }
  }

  /** Items `k0 .. k1` of `b` are next in the output (joined to the pending copy if adjacent). */
  private copy(b: TextBatch, k0: number, k1: number, out: ByteLines): void {
    this.runs.add(b.bytes, k0 === 0 ? b.start : b.ends[k0 - 1]!, b.ends[k1 - 1]!, out);
  }

  private flush(out: ByteLines): void {
    this.runs.flush(out);
  }
}

const DECODER = new TextDecoder();

function failureOf(b: TextBatch, k: number): LineFailure {
  const a = k === 0 ? b.start : b.ends[k - 1]!;
  return JSON.parse(DECODER.decode(b.bytes.subarray(a, b.ends[k]!))) as LineFailure;
}
