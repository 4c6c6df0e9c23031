import type { LineHead } from './lineHead.ts';
import { batchColumns, batchTexts, type LaneBatch } from './LaneItems.ts';
import { ITEM_KINDS, type LaneMessage } from './recordingProtocol.ts';

/** One recorded item: a line (`head` set) or an output line (`head` null). */
export interface MergedItem {
  readonly stamp: number;
  readonly text: string;
  readonly head: LineHead | null;
  /** Lines: the last seq its input events took; outputs: -1. */
  readonly end: number;
  readonly lane: number;
}

/**
 * Where released items go. `range`, when given, takes a run of a lane message's batch as it came
 * (the usual recording: one lane, in order), so no {@link MergedItem} is made per item; without
 * it, every item goes to `item`.
 */
export interface MergeSink {
  item(it: MergedItem): void;
  /** Items `from` to `to - 1` of `b`, a batch of `m`, released in order. */
  range?(m: LaneMessage, b: LaneBatch, from: number, to: number): void;
}

interface Lane {
  readonly run: number;
  readonly index: number;
  /** Pending items, sorted by stamp (stable: equal stamps keep arrival order). */
  items: MergedItem[];
  up: number;
  open: boolean;
}

/**
 * Merges the items of several stream workers ("lanes") into the one order a recording keeps:
 * by stamp (the workers' live sequence numbers: wall-clock µs, strictly increasing per worker),
 * ties by lane index, then arrival order. An item is released only once every open lane of the
 * current run has passed its stamp (the lanes' watermarks, as the runtime's InputMerger does), so
 * the order does not depend on message timing. A line is also held until its whole block — the
 * input events it caused, up to `end` — is below the release cut, so its outputs (from any
 * worker) are released together with it, and a finish keeps a line with all of its outputs or
 * drops both.
 */
export class RecordingMerge {
  private readonly lanes = new Map<string, Lane>();
  private run = -1;
  private waiting = new Set<number>();

  private readonly sink: MergeSink;

  constructor(out: ((item: MergedItem) => void) | MergeSink) {
    this.sink = typeof out === 'function' ? { item: out } : out;
  }

  /** A run starts on worker indexes `lanes`: release nothing until each has been heard from. */
  expect(run: number, lanes: readonly number[]): void {
    this.run = run;
    this.waiting = new Set(lanes);
    for (const l of this.lanes.values()) if (l.run === run) this.waiting.delete(l.index);
  }

  /** Take one lane message and release what is now safe to write. */
  add(m: LaneMessage): void {
    const key = `${m.run}:${m.lane}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { run: m.run, index: m.lane, items: [], up: -Infinity, open: true };
      this.lanes.set(key, lane);
    }
    if (m.run === this.run) this.waiting.delete(m.lane);
    if (m.batches.length > 0 && this.passThrough(lane, m)) return;
    if (m.batches.length > 0) {
      const fresh = m.batches.flatMap((b) => unpack(m, b, 0, lane.up));
      // A lane's lines and outputs are each in stamp order but interleaved by processing: sort
      // only when they are out of order (lines alone, the common case, never are).
      const items = lane.items.length > 0 ? lane.items.concat(fresh) : fresh;
      if (!inStampOrder(items)) items.sort((a, b) => a.stamp - b.stamp);
      lane.items = items;
    }
    lane.up = Math.max(lane.up, m.up);
    lane.open = m.final !== true;
    this.release(false);
  }

  /** Items waiting for a watermark. */
  get pending(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.items.length;
    return n;
  }

  /**
   * The end: release what every lane of the current run covers, and drop the rest (lines whose
   * outputs were not all produced before the workers stopped). Returns the dropped item count.
   */
  finish(): number {
    this.waiting.clear();
    this.release(true);
    const dropped = this.pending;
    this.lanes.clear();
    return dropped;
  }

  private release(final: boolean): void {
    if (this.waiting.size > 0) return;
    let w = Infinity;
    for (const l of this.lanes.values()) {
      // Lanes of the current run bound the watermark, closed ones too: a closed lane's last
      // watermark is how far its outputs got (until a replacement worker reopens it).
      if (l.run === this.run) w = Math.min(w, l.up);
    }
    if (w === Infinity) {
      if (!final) return;
      w = -Infinity;
    }
    // Release up to r, the highest cut (at most w) that no line's block crosses: a line whose
    // events are not all below it waits, with everything from its stamp on. That can put the
    // cut inside the block of a line of another lane (each lane stamps by its own clock, so a
    // line can start between another line and its outputs); that line waits too, or it would
    // leave without the outputs past the cut, which a finish then drops (Compare: the replay
    // has outputs the recording lacks). Lowering the cut may cut another block: repeat until
    // none crosses it (one pass, and one more after each lowering: rare, a stamp collision).
    let r = w;
    for (let lowered = true; lowered;) {
      lowered = false;
      for (const l of this.lanes.values()) {
        for (const it of l.items) {
          if (it.stamp > r) break;
          if (it.head !== null && it.end > r) {
            r = it.stamp - 1;
            lowered = true;
            break;
          }
        }
      }
    }
    const parts: MergedItem[][] = [];
    for (const l of this.lanes.values()) {
      let k = 0;
      while (k < l.items.length && l.items[k]!.stamp <= r) k++;
      if (k === 0) continue;
      parts.push(k === l.items.length ? l.items : l.items.slice(0, k));
      l.items = k === l.items.length ? [] : l.items.slice(k);
    }
    // One lane (one recording worker, the usual case) is already in order: no copy, no sort.
    const ready = parts.length === 1 ? parts[0]! : parts.flat();
    if (parts.length > 1) ready.sort((a, b) => a.stamp - b.stamp || a.lane - b.lane);
    for (const it of ready) this.sink.item(it);
    this.dropDrained();
  }

  /** Lanes of an earlier run, closed and drained, have nothing more to say. */
  private dropDrained(): void {
    for (const [key, l] of this.lanes)
      if (!l.open && l.items.length === 0 && l.run !== this.run) this.lanes.delete(key);
  }

  /**
   * {@link add} and its release, for the usual message: nothing else pending in any lane, its
   * items in stamp order and all new. What `add` would release is then a prefix of the message,
   * handed on as it came (no item objects, no copy); only what must wait is unpacked. Returns
   * false, having changed nothing, when the message is not such a one.
   */
  private passThrough(lane: Lane, m: LaneMessage): boolean {
    if (this.waiting.size > 0) return false;
    for (const l of this.lanes.values()) if (l.items.length > 0) return false;
    let prev = lane.up;
    for (const b of m.batches) {
      const stamp = new Float64Array(b.nums, 0, b.n);
      if (b.n > 0 && !(stamp[0]! > prev)) return false;
      for (let i = 1; i < b.n; i++) if (stamp[i]! < stamp[i - 1]!) return false;
      if (b.n > 0) prev = stamp[b.n - 1]!;
    }
    const up = Math.max(lane.up, m.up);
    let w = Infinity;
    for (const l of this.lanes.values())
      if (l.run === this.run) w = Math.min(w, l === lane ? up : l.up);
    // Nothing is released until a lane of the current run has spoken: let add keep it all.
    if (w === Infinity) return false;
    lane.up = up;
    lane.open = m.final !== true;
    // As in release: up to the watermark, short of the first line whose block is not below it.
    let r = w;
    scan: for (const b of m.batches) {
      const c = batchColumns(b);
      for (let i = 0; i < b.n; i++) {
        if (c.stamp[i]! > r) break scan;
        if (c.kind[i] !== 0 && c.end[i]! > w) {
          r = c.stamp[i]! - 1;
          break scan;
        }
      }
    }
    let rest: MergedItem[] = [];
    for (const b of m.batches) {
      const stamp = new Float64Array(b.nums, 0, b.n);
      let k = 0;
      if (rest.length === 0) {
        while (k < b.n && stamp[k]! <= r) k++;
        if (k > 0) this.emit(m, b, 0, k);
      }
      if (k < b.n) rest = rest.concat(unpack(m, b, k, -Infinity));
    }
    lane.items = rest;
    this.dropDrained();
    return true;
  }

  /** Released items `from` to `to - 1` of batch `b` of `m`, in order. */
  private emit(m: LaneMessage, b: LaneBatch, from: number, to: number): void {
    if (this.sink.range) this.sink.range(m, b, from, to);
    else for (const it of unpack(m, b, from, -Infinity, to)) this.sink.item(it);
  }
}

/** Whether `items` are sorted by stamp. */
function inStampOrder(items: readonly MergedItem[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i]!.stamp < items[i - 1]!.stamp) return false;
  return true;
}

/**
 * Items `from` to `to - 1` of batch `b` of lane message `m` with a stamp above `after` (a lane
 * sends everything up to its watermark once: items at or below it are repeats from a worker
 * restored from a checkpoint).
 */
function unpack(m: LaneMessage, b: LaneBatch, from: number, after: number, to = b.n): MergedItem[] {
  const items: MergedItem[] = [];
  const texts = batchTexts(b);
  const c = batchColumns(b);
  for (let i = from; i < to; i++) {
    const stamp = c.stamp[i]!;
    if (!(stamp > after)) continue;
    const kind = c.kind[i]!;
    const sym = c.symbol[i]!;
    const head: LineHead | null =
      kind === 0
        ? null
        : {
            ts: c.ts[i]!,
            exchange: m.names[c.venue[i]!]!,
            kind: ITEM_KINDS[kind] as LineHead['kind'],
            ...(sym >= 0 ? { symbol: m.names[sym]! } : {}),
          };
    items.push({ stamp, text: texts[i]!, head, end: c.end[i]!, lane: m.lane });
  }
  return items;
}
