import type { GapItem } from '../core/batch/gaps.ts';
import type { Event } from '../core/events.ts';

/** A note for `tail`: input `seq` was an event of source node `node` at `ts`, or a gap. */
export type Note =
  readonly [seq: number, node: number, ts: number] | readonly [seq: number, -1, gap: GapItem];
/** Export node `node` emitted `ev` for input `seq` (for downstream subgraphs). */
export type Export = readonly [seq: number, node: number, ev: Event];

/**
 * What a subgraph produced for inputs in (`from`, `to`], ready to publish: one message of its
 * output subject (`fz.<P>.sg.<i>`). Consecutive messages chain (`from` = previous `to`); a
 * message with `from === to` and nothing in it is a fence (a new owner taking over).
 */
export interface EncodedBatch {
  readonly from: number;
  readonly to: number;
  readonly bytes: Uint8Array;
}

/**
 * A batch as read back ({@link decodeBatch}), in columns:
 * - notes, in input order: `noteSeq[k]` was an event of source node `noteNode[k]` at
 *   `noteTs[k]`, or (`noteNode[k] === -1`) the next of `gaps`;
 * - outputs, in input then emission order: output position `outPos[k]` emitted for input
 *   `outSeq[k]` the NDJSON line (with its `\n`) at `lines[outEnd[k-1] .. outEnd[k]]` (from 0 for
 *   k = 0), written by the worker with `run`'s own line writer;
 * - `x`: exports to downstream subgraphs, as events (they are engine inputs there).
 */
export interface SubgraphBatch {
  readonly from: number;
  readonly to: number;
  readonly noteSeq: Float64Array;
  readonly noteNode: Int32Array;
  readonly noteTs: Float64Array;
  readonly gaps: readonly GapItem[];
  readonly outSeq: Float64Array;
  readonly outPos: Int32Array;
  readonly outEnd: Uint32Array;
  readonly lines: Uint8Array;
  readonly x: readonly Export[];
  /** Each of `x`'s events is `{k, e}` (a derivation key and the event): the KEYED flag. */
  readonly keyed: boolean;
}

/** The outputs of a batch before encoding: parallel columns and the lines' bytes `0..length`. */
export interface OutputColumnsIn {
  readonly seq: readonly number[];
  readonly pos: readonly number[];
  /** End offset of each line in `bytes`, from `start`. */
  readonly ends: readonly number[];
  readonly start: number;
  readonly bytes: Uint8Array;
}

/**
 * Wire format version 2 (little-endian; version 1 was one JSON object per batch, which the
 * worker's `JSON.stringify` and the tail's `JSON.parse` spent most of their time on):
 *
 * ```
 *  0  "FZ" 0x02 0x00
 *  4  u32 notes   8 u32 outputs   12 u32 gap JSON bytes   16 u32 export JSON bytes
 * 20  u32 line bytes              24 f64 from             32 f64 to
 * 40  f64 noteSeq[notes], f64 noteTs[notes], f64 outSeq[outputs],
 *     i32 noteNode[notes], i32 outPos[outputs], u32 outEnd[outputs],
 *     gaps (JSON array of GapItem), exports (JSON array of [seq, node, event]), lines (UTF-8)
 * ```
 * Byte 3 holds flags. {@link NEG_ZEROS}: the exports hold a −0 somewhere, which JSON prints as
 * `0`; their bytes are then `[exports, paths]`, each path the keys from an export down to a −0,
 * so a downstream subgraph gets the very number its upstream emitted (an engine input: `1 / x`
 * or `Math.sign` tell them apart). Without a −0 the bytes are the exports alone, as before.
 * {@link KEYED}: the exports' events carry derivation keys.
 */
const MAGIC0 = 0x46; // F
const MAGIC1 = 0x5a; // Z
const VERSION = 2;
const HEAD = 40;
/** Flag (byte 3): the exports' bytes are `[exports, paths to −0]`. */
const NEG_ZEROS = 1;
/**
 * Flag (byte 3): each export's event is `{k, e}`, the event `e` with its derivation key `k`
 * (runtime/DerivationOrder: a pipeline with a node joining one input twice). A reader that does
 * not know the flag refuses the batch; the processor refuses keyed exports where it expects plain
 * ones and the reverse, so no event is ever read as the wrong shape.
 */
const KEYED = 2;

type Key = string | number;

/** Collect the path (keys from `v`) of every −0 that `JSON.stringify(v)` would print as `0`. */
function negZeros(v: unknown, path: Key[], out: Key[][]): void {
  if (typeof v === 'number') {
    if (v === 0 && 1 / v < 0) out.push(path.slice());
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      negZeros(v[i], path, out);
      path.pop();
    }
    return;
  }
  // JSON.stringify prints an object's own enumerable string keys (typed arrays included).
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    path.push(k);
    negZeros(o[k], path, out);
    path.pop();
  }
}

/** Put −0 back at each path of the parsed exports (refusing a path that leads nowhere). */
function restoreNegZeros(x: unknown, paths: unknown): void {
  if (!Array.isArray(paths)) throw new Error('subgraph batch: its −0 paths are not a list');
  for (const p of paths as unknown[]) {
    if (!Array.isArray(p) || p.length === 0) throw new Error('subgraph batch: a −0 path is empty');
    let at = x as Record<Key, unknown>;
    for (let i = 0; i < p.length - 1; i++) {
      const next = at[p[i] as Key];
      if (typeof next !== 'object' || next === null)
        throw new Error('subgraph batch: a −0 path leads nowhere');
      at = next as Record<Key, unknown>;
    }
    const last = p[p.length - 1] as Key;
    if (at[last] !== 0) throw new Error('subgraph batch: a −0 path does not end at a zero');
    at[last] = -0;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const NO_BYTES = new Uint8Array(0);

/** Encode a batch; `notes` and `outs` hold only inputs in (`from`, `to`]. */
export function encodeBatch(
  from: number,
  to: number,
  notes: readonly Note[],
  outs: OutputColumnsIn | undefined,
  x: readonly Export[],
  /** The exports' events are `{k, e}` (the {@link KEYED} flag). */
  keyed = false,
): EncodedBatch {
  // The typed columns are written in the platform's byte order; the format is little-endian.
  if (!LITTLE_ENDIAN) throw new Error('subgraph batches need a little-endian platform');
  const nn = notes.length;
  const no = outs?.seq.length ?? 0;
  const gapItems: GapItem[] = [];
  for (const n of notes) if (n[1] === -1) gapItems.push(n[2] as GapItem);
  const gaps = gapItems.length > 0 ? enc.encode(JSON.stringify(gapItems)) : NO_BYTES;
  const zeros: Key[][] = [];
  negZeros(x, [], zeros);
  const xs =
    x.length === 0 ? NO_BYTES : enc.encode(JSON.stringify(zeros.length > 0 ? [x, zeros] : x));
  const lineStart = outs?.start ?? 0;
  const lineBytes = no > 0 ? outs!.ends[no - 1]! - lineStart : 0;
  const total = HEAD + 8 * (2 * nn + no) + 4 * (nn + 2 * no) + gaps.length + xs.length + lineBytes;
  const bytes = new Uint8Array(total);
  const v = new DataView(bytes.buffer);
  bytes[0] = MAGIC0;
  bytes[1] = MAGIC1;
  bytes[2] = VERSION;
  bytes[3] = (zeros.length > 0 ? NEG_ZEROS : 0) | (keyed ? KEYED : 0);
  v.setUint32(4, nn, true);
  v.setUint32(8, no, true);
  v.setUint32(12, gaps.length, true);
  v.setUint32(16, xs.length, true);
  v.setUint32(20, lineBytes, true);
  v.setFloat64(24, from, true);
  v.setFloat64(32, to, true);
  let at = HEAD;
  // Typed views on the fresh buffer: its offsets here are multiples of their element sizes.
  const noteSeq = new Float64Array(bytes.buffer, at, nn);
  const noteTs = new Float64Array(bytes.buffer, (at += 8 * nn), nn);
  const outSeq = new Float64Array(bytes.buffer, (at += 8 * nn), no);
  const noteNode = new Int32Array(bytes.buffer, (at += 8 * no), nn);
  const outPos = new Int32Array(bytes.buffer, (at += 4 * nn), no);
  const outEnd = new Uint32Array(bytes.buffer, (at += 4 * no), no);
  at += 4 * no;
  for (let k = 0; k < nn; k++) {
    const n = notes[k]!;
    noteSeq[k] = n[0];
    noteNode[k] = n[1];
    noteTs[k] = n[1] === -1 ? 0 : (n[2] as number);
  }
  if (outs) {
    for (let k = 0; k < no; k++) {
      outSeq[k] = outs.seq[k]!;
      outPos[k] = outs.pos[k]!;
      outEnd[k] = outs.ends[k]! - lineStart;
    }
  }
  bytes.set(gaps, at);
  bytes.set(xs, (at += gaps.length));
  if (lineBytes > 0)
    bytes.set(outs!.bytes.subarray(lineStart, lineStart + lineBytes), at + xs.length);
  return { from, to, bytes };
}

/** A fence: an empty batch at `at` (a new owner's first message). */
export const fenceBatch = (at: number): EncodedBatch => encodeBatch(at, at, [], undefined, []);

/** `from` and `to` of an encoded batch, reading nothing else. */
export function batchSpan(bytes: Uint8Array): { from: number; to: number } {
  const v = view(bytes);
  return { from: v.getFloat64(24, true), to: v.getFloat64(32, true) };
}

/** Read a batch published by a worker; throws saying why for anything else. */
export function decodeBatch(bytes: Uint8Array): SubgraphBatch {
  const v = view(bytes);
  const nn = v.getUint32(4, true);
  const no = v.getUint32(8, true);
  const gl = v.getUint32(12, true);
  const xl = v.getUint32(16, true);
  const ll = v.getUint32(20, true);
  if (HEAD + 8 * (2 * nn + no) + 4 * (nn + 2 * no) + gl + xl + ll !== bytes.length)
    throw new Error(`subgraph batch of ${bytes.length} bytes: its header says otherwise`);
  const base = bytes.byteOffset;
  // Copies (one memcpy each): the message's bytes sit at any offset of the connection's buffer,
  // where a typed view may not be aligned.
  const f64 = (at: number, n: number): Float64Array =>
    new Float64Array(bytes.buffer.slice(base + at, base + at + 8 * n));
  let at = HEAD;
  const noteSeq = f64(at, nn);
  const noteTs = f64((at += 8 * nn), nn);
  const outSeq = f64((at += 8 * nn), no);
  at += 8 * no;
  const noteNode = new Int32Array(bytes.buffer.slice(base + at, base + at + 4 * nn));
  at += 4 * nn;
  const outPos = new Int32Array(bytes.buffer.slice(base + at, base + at + 4 * no));
  at += 4 * no;
  const outEnd = new Uint32Array(bytes.buffer.slice(base + at, base + at + 4 * no));
  at += 4 * no;
  const gaps = gl > 0 ? (JSON.parse(dec.decode(bytes.subarray(at, at + gl))) as GapItem[]) : [];
  at += gl;
  let x: Export[] = xl > 0 ? (JSON.parse(dec.decode(bytes.subarray(at, at + xl))) as Export[]) : [];
  const flags = bytes[3]!;
  if ((flags & ~(NEG_ZEROS | KEYED)) !== 0)
    throw new Error(`subgraph batch with unknown flags ${flags}`);
  if (flags & NEG_ZEROS) {
    const [xs, paths] = x as unknown as [Export[], unknown];
    restoreNegZeros(xs, paths);
    x = xs;
  }
  at += xl;
  return {
    from: v.getFloat64(24, true),
    to: v.getFloat64(32, true),
    noteSeq,
    noteNode,
    noteTs,
    gaps,
    outSeq,
    outPos,
    outEnd,
    lines: bytes.subarray(at, at + ll),
    x,
    keyed: (flags & KEYED) !== 0,
  };
}

/** The text of output `k`'s NDJSON line (with its `\n`). */
export function outputLine(b: SubgraphBatch, k: number): string {
  return dec.decode(b.lines.subarray(k === 0 ? 0 : b.outEnd[k - 1]!, b.outEnd[k]!));
}

/**
 * Output `k` as an event again: its NDJSON line parsed, without the `feature` key the line
 * writer put first (`keepFeature`: the output's schema has a field named so, which the line
 * carries under that key instead). What version 1 sent was the event through `JSON.stringify`;
 * the line holds the same keys and values (numbers print as `JSON.stringify` prints them), so
 * this is that event as version 1 read it, keys in the line's order.
 */
export function outputEvent(b: SubgraphBatch, k: number, keepFeature = false): Event {
  const o = JSON.parse(outputLine(b, k)) as Record<string, unknown>;
  if (!keepFeature) delete o.feature;
  return o as unknown as Event;
}

function view(bytes: Uint8Array): DataView {
  if (!LITTLE_ENDIAN) throw new Error('subgraph batches need a little-endian platform');
  if (bytes.length < HEAD || bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1) {
    throw new Error(
      bytes[0] === 0x7b // `{`: version 1
        ? 'subgraph batch in the JSON format of an older featurizer: upgrade every worker, then deploy the pipeline again under a new name'
        : 'not a subgraph batch',
    );
  }
  if (bytes[2] !== VERSION)
    throw new Error(`subgraph batch format ${bytes[2]}: this featurizer reads ${VERSION}`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
