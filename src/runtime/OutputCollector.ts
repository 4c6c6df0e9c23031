import type { Event } from '../core/events.ts';
import type { Batch } from './protocol.ts';

/** One pipeline output, in canonical order. */
export interface CollectedOutput {
  readonly seq: number;
  /** Position of the output feature in the pipeline's output list. */
  readonly pos: number;
  readonly ev: Event;
}

interface Stream {
  items: CollectedOutput[];
  up: number;
}

/**
 * Merges the result streams of the workers into one deterministic order: by input `seq`, then
 * output position, then emission order — the same whatever the partitioning or timing. Items are
 * released once every result stream's watermark has passed their `seq`. Duplicates replayed by a
 * recovering worker never get here: the port receivers drop them by item number.
 */
export class OutputCollector {
  private readonly streams = new Map<number, Stream>();

  constructor(
    workers: readonly number[],
    private readonly onOutputs: (outs: CollectedOutput[]) => void,
    /** Every output of inputs up to `seq` has been released (batch outputs apply input notes). */
    private readonly onProgress?: (seq: number) => void,
  ) {
    for (const w of workers) this.streams.set(w, { items: [], up: -1 });
  }

  /** Lowest watermark over all result streams. */
  get watermark(): number {
    let w = Infinity;
    for (const s of this.streams.values()) w = Math.min(w, s.up);
    return this.streams.size === 0 ? Infinity : w;
  }

  add(worker: number, b: Batch): void {
    const s = this.streams.get(worker);
    if (!s) return;
    for (let i = 0; i < b.ev.length; i++)
      s.items.push({ seq: b.seq[i]!, pos: b.feat[i]!, ev: b.ev[i]! });
    s.up = Math.max(s.up, b.up);
    this.release();
  }

  private release(): void {
    const w = this.watermark;
    const ready: CollectedOutput[] = [];
    for (const s of this.streams.values()) {
      let k = 0;
      while (k < s.items.length && s.items[k]!.seq <= w) k++;
      for (const it of s.items.splice(0, k)) ready.push(it);
    }
    if (ready.length > 0) {
      // Stable: equal (seq, pos) keep their emission order (one worker computes each position).
      ready.sort((a, b) => a.seq - b.seq || a.pos - b.pos);
      this.onOutputs(ready);
    }
    if (w > -1 && w !== Infinity) this.onProgress?.(w);
  }
}
