import { type Event, toMicros } from '../events.ts';
import { csvCell, csvHeader, type OutputColumns } from './format.ts';

interface Series {
  /** Events not yet passed by every pending row; `items[head]` is the current as-of candidate. */
  items: Event[];
  head: number;
  /** Largest timestamp seen (µs). */
  maxUs: number;
}

/**
 * Streaming point-in-time join, CSV out: the seed's `merge_asof(direction='backward')` keyed on
 * output 0. One row per event of output 0, in emission order; every other output contributes its
 * latest event with `timestamp <=` the row's (ties: the last emitted wins, as pandas does), or
 * empty cells when it has none yet.
 *
 * Rows are written as soon as they are final — once every other output has emitted an event
 * strictly later than the row — so memory holds only the lag between outputs, not the file. This
 * assumes each output's timestamps never decrease (true for time-ordered input: outputs inherit
 * input timestamps); a late event can only affect rows not yet written.
 */
export class AsOfJoin {
  private readonly series: Series[];
  private readonly pending: Event[] = [];
  private pendingHead = 0;

  constructor(private readonly outs: readonly OutputColumns[]) {
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

  /** End of input: every remaining row. */
  finish(): string {
    return this.flush(true);
  }

  private flush(all: boolean): string {
    let text = '';
    while (this.pendingHead < this.pending.length) {
      const key = this.pending[this.pendingHead]!;
      const us = toMicros(key.timestamp);
      if (!all && this.series.some((s, i) => i > 0 && s.maxUs <= us)) break;
      this.pendingHead++;
      text += this.row(key, us);
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    return text;
  }

  private row(key: Event, us: number): string {
    const cells = [csvCell(key.timestamp), csvCell(key.receipt_timestamp)];
    this.outs.forEach((o, i) => {
      const e = i === 0 ? key : this.asOf(this.series[i]!, us);
      for (const f of o.fields) cells.push(csvCell(e?.[f]));
    });
    return `${cells.join(',')}\n`;
  }

  private asOf(s: Series, us: number): Event | undefined {
    while (s.head + 1 < s.items.length && toMicros(s.items[s.head + 1]!.timestamp) <= us) s.head++;
    // Keep the candidate, drop what no later row can need.
    if (s.head > 1024) {
      s.items.splice(0, s.head);
      s.head = 0;
    }
    const e = s.items[s.head];
    return e !== undefined && toMicros(e.timestamp) <= us ? e : undefined;
  }
}
