import type { Event } from '../core/events.ts';
import {
  type Batch,
  IN_CHUNK,
  LineBytes,
  type LinesBatch,
  type PackedBatch,
  type RawLine,
  type TextBatch,
} from './protocol.ts';

/**
 * How a batch crosses a port. `clone`: the arrays are structured-cloned (exact for every value,
 * NaN and -0 included). `json`: JSON text encoded to bytes and transferred — cheaper to receive
 * for large batches in Chromium (performance.md A9) but lossy for NaN/±Infinity/-0, so it is
 * only for pipelines whose events are JSON-exact. `bench/workers.ts` measures both. `lines`:
 * a batch run's input as text, packed when sealed ({@link encodeLines}); the worker gets
 * {@link RawLine}s and parses them. `text`: a batch run's NDJSON results, written as bytes by the
 * worker ({@link TextBatch}; see `BatchedPortTransport.pushText`).
 */
export type Codec = 'clone' | 'json' | 'lines' | 'text';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Input lines: a BOM stays in the text, as Node's stream decoding (the string path) keeps it. */
const lineDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Encode a sealed batch for posting; returns the message and what to transfer. */
export function encodeBatch(
  b: Batch,
  codec: Codec,
): { msg: Batch | PackedBatch | LinesBatch; transfer: ArrayBuffer[] } {
  if (codec !== 'json' || b.ev.length === 0) return { msg: b, transfer: [] };
  const bytes = encoder.encode(JSON.stringify([b.seq, b.feat, b.ev]));
  return {
    msg: { t: 'p', n0: b.n0, up: b.up, t0: b.t0, bytes },
    transfer: [bytes.buffer as ArrayBuffer],
  };
}

/** Items in a batch, packed or not. */
export function itemCount(b: Batch | LinesBatch | TextBatch): number {
  return b.t === 'b' ? b.ev.length : b.seq.length;
}

/** Lines a feeder took as bytes of one read (`Transport.pushBytes`): item `i` is at `starts[i]..ends[i]`. */
export interface ChunkLines {
  readonly bytes: Uint8Array | undefined;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/**
 * Pack a feeder batch whose `ev` are raw lines (strings, {@link LineBytes}, or {@link IN_CHUNK}
 * for a line of `chunk`; an already parsed line is an event object) with their input `line`
 * numbers: string text joined by `\n`, bytes as one buffer with each line's range, numbers in
 * typed arrays.
 */
export function encodeLines(
  b: Batch,
  lineNumbers: readonly number[],
  chunk: ChunkLines = NO_CHUNK,
): LinesBatch {
  const n = b.ev.length;
  const seq = new Float64Array(n);
  const feat = new Int32Array(n);
  const line = new Float64Array(n);
  const parsed: [number, Event][] = [];
  let strings = 0;
  let others = 0;
  for (let i = 0; i < n; i++) {
    const e = b.ev[i] as unknown;
    seq[i] = b.seq[i]!;
    feat[i] = b.feat[i]!;
    line[i] = lineNumbers[i]!;
    if (e === IN_CHUNK) continue;
    if (typeof e === 'string') strings++;
    else if (e instanceof LineBytes) others++;
    else parsed.push([i, e as Event]);
  }
  const head = { t: 'l', n0: b.n0, up: b.up, t0: b.t0, seq, feat, line, parsed } as const;
  if (chunk.bytes === undefined && others === 0) {
    const raws = b.ev.map((e) => (typeof e === 'string' ? e : ''));
    return { ...head, text: raws.join('\n') };
  }
  // Every line from the one read and none a string: that read's buffer as it is (posting a
  // shared buffer copies nothing; the lines are never copied one by one).
  if (strings === 0 && others === 0) {
    return {
      ...head,
      text: '',
      bytes: chunk.bytes,
      starts: Int32Array.from(chunk.starts),
      ends: Int32Array.from(chunk.ends),
    };
  }
  return { ...head, text: '', ...copyLines(b.ev as readonly unknown[], chunk) };
}

const NO_CHUNK: ChunkLines = { bytes: undefined, starts: [], ends: [] };

/** The lines of a batch of mixed origins copied into one buffer (strings encoded). */
function copyLines(
  ev: readonly unknown[],
  chunk: ChunkLines,
): { bytes: Uint8Array; starts: Int32Array; ends: Int32Array } {
  const n = ev.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const range = (e: unknown, i: number): [Uint8Array, number, number] | undefined =>
    e === IN_CHUNK
      ? [chunk.bytes!, chunk.starts[i]!, chunk.ends[i]!]
      : e instanceof LineBytes
        ? [e.bytes, e.start, e.end]
        : undefined;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const e = ev[i];
    const r = range(e, i);
    size += r ? r[2] - r[1] : typeof e === 'string' ? e.length * 3 : 0;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const e = ev[i];
    const r = range(e, i);
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

/**
 * The lines of a byte batch, each decoded by itself: a batch's lines are only this worker's share
 * of the chunk, and decoding the whole chunk to slice it made one large string per batch (in
 * V8's large-object space, which brought old-generation collections forward: ~10% more worker
 * CPU than one small decode per line).
 */
function byteLines(m: LinesBatch): string[] {
  const { bytes, starts, ends } = m as Required<LinesBatch>;
  const n = starts.length;
  const raws = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const s = starts[i]!;
    const e = ends[i]!;
    raws[i] = e > s ? lineDecoder.decode(bytes.subarray(s, e)) : '';
  }
  return raws;
}

/** The batch a received message carries (a {@link LinesBatch}: its `ev` are RawLines). */
export function decodeBatch(m: Batch | PackedBatch | LinesBatch): Batch {
  if (m.t === 'b') return m;
  if (m.t === 'l') {
    const raws = m.bytes ? byteLines(m) : m.text.split('\n');
    if (raws.length !== m.seq.length) throw new Error('a raw input line contains a line break');
    const ev = raws.map((raw, i): RawLine => ({ raw, line: m.line[i]! }));
    for (const [i, e] of m.parsed) ev[i] = { raw: '', line: m.line[i]!, ev: e };
    return {
      t: 'b',
      n0: m.n0,
      up: m.up,
      t0: m.t0,
      seq: Array.from(m.seq),
      feat: Array.from(m.feat),
      ev: ev as unknown as Event[],
    };
  }
  const [seq, feat, ev] = JSON.parse(decoder.decode(m.bytes)) as [number[], number[], Event[]];
  return { t: 'b', n0: m.n0, up: m.up, t0: m.t0, seq, feat, ev };
}
