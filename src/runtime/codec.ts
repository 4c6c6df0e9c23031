import type { Event } from '../core/events.ts';
import type { Batch, PackedBatch } from './protocol.ts';

/**
 * How a batch crosses a port. `clone`: the arrays are structured-cloned (exact for every value,
 * NaN and -0 included). `json`: JSON text encoded to bytes and transferred — cheaper to receive
 * for large batches in Chromium (performance.md A9) but lossy for NaN/±Infinity/-0, so it is
 * only for pipelines whose events are JSON-exact. `bench/workers.ts` measures both.
 */
export type Codec = 'clone' | 'json';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encode a sealed batch for posting; returns the message and what to transfer. */
export function encodeBatch(
  b: Batch,
  codec: Codec,
): { msg: Batch | PackedBatch; transfer: [] | [ArrayBuffer] } {
  if (codec === 'clone' || b.ev.length === 0) return { msg: b, transfer: [] };
  const bytes = encoder.encode(JSON.stringify([b.seq, b.feat, b.ev]));
  return {
    msg: { t: 'p', n0: b.n0, up: b.up, t0: b.t0, bytes },
    transfer: [bytes.buffer as ArrayBuffer],
  };
}

/** The batch a received message carries. */
export function decodeBatch(m: Batch | PackedBatch): Batch {
  if (m.t === 'b') return m;
  const [seq, feat, ev] = JSON.parse(decoder.decode(m.bytes)) as [number[], number[], Event[]];
  return { t: 'b', n0: m.n0, up: m.up, t0: m.t0, seq, feat, ev };
}
