import type { Event } from '../core/events.ts';
import type { Batch, LinesBatch, PackedBatch, RawLine, TextBatch } from './protocol.ts';

/**
 * How a batch crosses a port. `clone`: the arrays are structured-cloned (exact for every value,
 * NaN and -0 included). `json`: JSON text encoded to bytes and transferred — cheaper to receive
 * for large batches in Chromium (performance.md A9) but lossy for NaN/±Infinity/-0, so it is
 * only for pipelines whose events are JSON-exact. `bench/workers.ts` measures both. `lines`:
 * a batch run's input as text, packed as fed (`LinesBuilder`); the worker gets
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
