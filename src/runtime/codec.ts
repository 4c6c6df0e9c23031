import type { Event } from '../core/events.ts';
import type { Batch, LinesBatch, PackedBatch, RawLine, TextBatch } from './protocol.ts';

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
 * Pack a feeder batch whose `ev` are raw lines (strings; an already parsed line is an event
 * object) with their input `line` numbers: the text joined by `\n`, numbers in typed arrays.
 */
export function encodeLines(b: Batch, lineNumbers: readonly number[]): LinesBatch {
  const n = b.ev.length;
  const seq = new Float64Array(n);
  const feat = new Int32Array(n);
  const line = new Float64Array(n);
  const raws = new Array<string>(n);
  const parsed: [number, Event][] = [];
  for (let i = 0; i < n; i++) {
    const e = b.ev[i] as unknown;
    seq[i] = b.seq[i]!;
    feat[i] = b.feat[i]!;
    line[i] = lineNumbers[i]!;
    if (typeof e === 'string') raws[i] = e;
    else {
      raws[i] = '';
      parsed.push([i, e as Event]);
    }
  }
  return { t: 'l', n0: b.n0, up: b.up, t0: b.t0, seq, feat, line, text: raws.join('\n'), parsed };
}

/** The batch a received message carries (a {@link LinesBatch}: its `ev` are RawLines). */
export function decodeBatch(m: Batch | PackedBatch | LinesBatch): Batch {
  if (m.t === 'b') return m;
  if (m.t === 'l') {
    const raws = m.text.split('\n');
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
