import type { Event } from '../core/events.ts';
import type { Batch } from './protocol.ts';
import type { ReplayCheckpoints } from './ReplayCheckpoints.ts';
import type { ReplayInput } from './replayTypes.ts';

/** Lines read between two merges into the graph (and one results batch at most). */
export const READ_BATCH = 512;

/**
 * A source worker's reading of the recording: lines by global index, as far as the main
 * thread's pacing allows (a line and a receipt time), each decoded input carrying its line as
 * sequence. It notes the decoder's state at checkpoint lines, for the graph's checkpoint there.
 */
export class ReplayReader {
  /** Next line to read. */
  pos = 0;
  private limitLine = 0;
  private limitTime = -Infinity;
  /** Lines read since the last report that fed at least one source. */
  fed: number[] = [];
  /**
   * Why the last {@link read} stopped with lines still allowed: waiting for the store to load
   * them, or for credits (outputs not yet taken); undefined when it did not wait.
   */
  waiting: 'load' | 'credit' | undefined;

  constructor(
    readonly input: ReplayInput,
    /** The worker's source nodes (DAG indices), by the input's source number. */
    private readonly sourceIdx: readonly number[],
    private readonly checkpoints: ReplayCheckpoints,
  ) {}

  /** Start reading at `line` (a checkpoint restored), reading nothing until {@link playTo}. */
  reset(line: number): void {
    this.pos = line;
    this.limitLine = line;
    this.limitTime = -Infinity;
    this.fed = [];
  }

  playTo(line: number, time: number): void {
    this.limitLine = line;
    this.limitTime = time;
  }

  /** Stop at the line reached; returns it. */
  hold(): number {
    this.limitLine = this.pos;
    return this.pos;
  }

  /**
   * Read and decode what is allowed, handing each {@link READ_BATCH} lines' inputs to `hand`;
   * after each hand, `between` processes them and says whether to yield. True when it yielded
   * with more allowed.
   */
  read(blocked: () => boolean, hand: (b: Batch) => void, between: () => boolean): boolean {
    const input = this.input;
    const cps = this.checkpoints;
    let seq: number[] = [];
    let feat: number[] = [];
    let ev: Event[] = [];
    const emit = (source: number, e: Event): void => {
      seq.push(this.pos);
      feat.push(this.sourceIdx[source]!);
      ev.push(e);
    };
    const handOver = (): void => {
      hand({ t: 'b', n0: 0, up: this.pos - 1, t0: 0, seq, feat, ev });
      seq = [];
      feat = [];
      ev = [];
    };
    let n = 0;
    const timed = this.limitTime !== Infinity;
    let loaded = 0;
    this.waiting = undefined;
    while (this.pos < this.limitLine && this.pos < input.total) {
      // Now and then, not per line: stop while outputs wait for credits (they only change as
      // batches are sent, between reads); ask the window (it drops what is behind, reads ahead).
      if (this.pos >= loaded) {
        if (blocked()) {
          this.waiting = 'credit';
          break;
        }
        if (!input.request(this.pos)) {
          this.waiting = 'load';
          break;
        }
        loaded = Math.min(input.end, this.pos + READ_BATCH);
      }
      if (timed && input.time(this.pos) > this.limitTime) break;
      const p = this.pos;
      const before = ev.length;
      input.push(p, emit);
      if (ev.length > before) this.fed.push(p);
      this.pos = p + 1;
      // The decoder's state before line `pos`, for the graph's checkpoint there.
      if (cps.wantsDecoder(this.pos)) cps.noteDecoder(this.pos, input.snapshot());
      if (++n % READ_BATCH === 0) {
        handOver();
        if (between()) return true;
      }
    }
    handOver();
    return false;
  }

  /** Receipt time of line `i`, if readable. */
  timeOf(i: number): number | undefined {
    try {
      return this.input.time(i);
    } catch {
      return undefined;
    }
  }
}
