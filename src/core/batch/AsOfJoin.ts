import { type Event, toMicros } from '../events.ts';
import { csvCell, csvHeader, type OutputColumns } from './format.ts';
import type { SourceClocks } from './SourceClocks.ts';

interface Series {
  /** Events some row still to write may need; `items[head]` is the current as-of candidate. */
  items: Event[];
  head: number;
  /** Largest timestamp seen (µs). */
  maxUs: number;
}

/** Drop consumed array prefixes once they are this long (amortised O(1) per item). */
const COMPACT_AT = 1024;

/**
 * Streaming point-in-time join, CSV out: the seed's `merge_asof(direction='backward')` keyed on
 * output 0. One row per event of output 0, in emission order; every other output contributes its
 * latest event with `timestamp <=` the row's (ties: the last emitted wins, as pandas does), or
 * empty cells when it has none yet — or when a data source it depends on was inside a gap at the
 * row's time (docs/batch-output.md#gaps).
 *
 * Rows are written as soon as they are final: every other output has emitted an event strictly
 * later than the row, or every source it depends on has passed the row's time (see
 * {@link SourceClocks}), and no gap that began before the row is still open. So memory holds only
 * the lag between sources — bounded in input time — never the file, even when an output never
 * emits. Each output's timestamps are assumed never to decrease (true for time-ordered sources).
 */
export class AsOfJoin {
  private readonly series: Series[];
  private readonly pending: Event[] = [];
  private pendingHead = 0;

  constructor(
    private readonly outs: readonly OutputColumns[],
    private readonly clocks: SourceClocks,
  ) {
    this.series = outs.map(() => ({ items: [], head: 0, maxUs: -Infinity }));
  }

  header(): string {
    return csvHeader(this.outs);
  }

  /** Output `index` emitted `e`; returns the rows that became final. */
  push(index: number, e: Event): string {
    if (index === 0) this.pending.push(e);
    else {
      const s = this.series[index]!;
      s.items.push(e);
      s.maxUs = Math.max(s.maxUs, toMicros(e.timestamp));
    }
    return this.flush(false);
  }

  /** The source clocks moved (an input was processed, a gap opened or closed): final rows. */
  poll(): string {
    return this.flush(false);
  }

  /** End of input: every remaining row. */
  finish(): string {
    return this.flush(true);
  }

  /** Lengths of the buffers, consumed prefixes included (tests: memory stays bounded). */
  bufferSizes(): { pendingRows: number; seriesItems: number[] } {
    return {
      pendingRows: this.pending.length,
      seriesItems: this.series.map((s) => s.items.length),
    };
  }

  private flush(all: boolean): string {
    let text = '';
    if (this.pendingHead < this.pending.length) {
      const wm = this.outs.map((_, i) => (i === 0 || all ? Infinity : this.clocks.watermarkUs(i)));
      while (this.pendingHead < this.pending.length) {
        const key = this.pending[this.pendingHead]!;
        const us = toMicros(key.timestamp);
        if (!all && !this.isFinal(us, wm)) break;
        this.pendingHead++;
        text += this.row(key, us);
      }
      if (this.pendingHead > COMPACT_AT && this.pendingHead * 2 > this.pending.length) {
        this.pending.splice(0, this.pendingHead);
        this.pendingHead = 0;
      }
    }
    if (!all) this.prune();
    return text;
  }

  private isFinal(us: number, wm: readonly number[]): boolean {
    for (let i = 1; i < this.series.length; i++)
      if (!(this.series[i]!.maxUs > us || wm[i]! > us)) return false;
    for (let i = 0; i < this.series.length; i++) if (this.clocks.undecided(i, us)) return false;
    return true;
  }

  /**
   * Forget what no future row can need: future rows are no earlier than the first pending row,
   * nor than output 0's watermark. Without this, outputs pile up while output 0 is silent.
   */
  private prune(): void {
    const next = this.pending[this.pendingHead];
    const lowUs = next ? toMicros(next.timestamp) : this.clocks.watermarkUs(0);
    if (lowUs === -Infinity) return;
    for (let i = 1; i < this.series.length; i++) this.advance(this.series[i]!, lowUs);
    this.clocks.prune(lowUs);
  }

  private row(key: Event, us: number): string {
    const cells = [csvCell(key.timestamp), csvCell(key.receipt_timestamp)];
    this.outs.forEach((o, i) => {
      let e = i === 0 ? key : this.asOf(this.series[i]!, us);
      if (e !== undefined && this.clocks.inGap(i, us)) e = undefined;
      for (const f of o.fields) cells.push(csvCell(e?.[f]));
    });
    return `${cells.join(',')}\n`;
  }

  /** Move the candidate to the last item at or before `us`, dropping what precedes it. */
  private advance(s: Series, us: number): void {
    while (s.head + 1 < s.items.length && toMicros(s.items[s.head + 1]!.timestamp) <= us) s.head++;
    if (s.head > COMPACT_AT) {
      s.items.splice(0, s.head);
      s.head = 0;
    }
  }

  private asOf(s: Series, us: number): Event | undefined {
    this.advance(s, us);
    const e = s.items[s.head];
    return e !== undefined && toMicros(e.timestamp) <= us ? e : undefined;
  }
}
