import type { Event } from '../core/events.ts';
import type { BatchedPortTransport } from './Transport.ts';

/** Items held for one out-edge, in push order (so in seq order). */
interface Held {
  seq: number[];
  feat: number[];
  ev: Event[];
}

/** What a {@link CommitGate} keeps in its worker's checkpoint. */
export interface CommitGateState {
  /** Processed watermark at the checkpoint: everything up to it is in the checkpoint. */
  readonly up: number;
  /** Per out-edge id: items held (not yet handed to the edge's sender). */
  readonly held: Readonly<Record<number, Held>>;
}

/**
 * Holds what a live source worker sends to other workers until a checkpoint the manager stored
 * covers it (the "read committed" of Flink's two-phase-commit sinks, at the edge).
 *
 * Why: a restored source worker loses the live events it took in since its checkpoint (a feed's
 * frames cannot be asked for again). Whatever it had sent downstream from them would stay in the
 * downstream workers' state and outputs, computed from events no recording holds, and its new
 * items would reuse the item numbers of the lost ones (the receivers drop them as repeats). With
 * the gate, downstream workers only ever see what no restore can undo, so a restore changes
 * nothing they hold: the run stays equal to a replay of what was recorded. The price is latency on
 * those edges, about one checkpoint interval; the worker uses it only while a tap that commits
 * (a recorder) is attached.
 */
export class CommitGate {
  private held = new Map<number, Held>();
  private up = -Infinity;
  /** Items with seq up to this are covered by a stored checkpoint and may leave. */
  private cut = -Infinity;
  /** Processed watermark at each checkpoint taken and not yet stored. */
  private readonly cuts = new Map<number, number>();

  /** A worker restored from `s`: that checkpoint is stored, so all it holds may leave. */
  constructor(s?: CommitGateState) {
    if (!s) return;
    this.up = s.up;
    this.cut = s.up;
    for (const [edge, h] of Object.entries(s.held)) {
      this.held.set(Number(edge), { seq: [...h.seq], feat: [...h.feat], ev: [...h.ev] });
    }
  }

  push(edge: number, seq: number, feat: number, ev: Event): void {
    let h = this.held.get(edge);
    if (!h) this.held.set(edge, (h = { seq: [], feat: [], ev: [] }));
    h.seq.push(seq);
    h.feat.push(feat);
    h.ev.push(ev);
  }

  /** Every input with seq `<= up` is processed (its items were pushed). */
  processed(up: number): void {
    this.up = Math.max(this.up, up);
  }

  checkpoint(id: number): CommitGateState {
    this.cuts.set(id, this.up);
    const held: Record<number, Held> = {};
    for (const [edge, h] of this.held) {
      if (h.seq.length > 0) held[edge] = { seq: [...h.seq], feat: [...h.feat], ev: [...h.ev] };
    }
    return { up: this.up, held };
  }

  /** The manager stored checkpoint `id`: what it covers is final. */
  stored(id: number): void {
    const c = this.cuts.get(id);
    if (c === undefined) return;
    this.cut = Math.max(this.cut, c);
    for (const k of [...this.cuts.keys()]) if (k <= id) this.cuts.delete(k);
  }

  /** The worker stops cleanly: nothing will be undone, everything may leave. */
  open(): void {
    this.cut = Infinity;
  }

  /**
   * Hand what may leave to the connected senders and flush them with the watermark they may
   * announce: the processed one, bounded by the cut (later items are still held).
   */
  release(senders: ReadonlyMap<number, BatchedPortTransport>, t0: number): void {
    const w = Math.min(this.up, this.cut);
    for (const [edge, s] of senders) {
      const h = this.held.get(edge);
      if (h) {
        let k = 0;
        while (k < h.seq.length && h.seq[k]! <= w) {
          s.push(h.seq[k]!, h.feat[k]!, h.ev[k]!);
          k++;
        }
        if (k > 0) {
          h.seq.splice(0, k);
          h.feat.splice(0, k);
          h.ev.splice(0, k);
        }
      }
      if (w > -Infinity) s.flush(w, t0);
    }
  }
}
