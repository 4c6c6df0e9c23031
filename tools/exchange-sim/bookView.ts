/**
 * What one venue stream last published of a book. Diffing the true book against it gives the
 * levels to publish — merged over a push interval, exactly as batched venue streams do — and a new
 * subscriber's snapshot is the view itself, so the next diff applies on it exactly.
 */
import type { Level } from '../../src/core/events.ts';
import type { OrderBook } from '../../src/core/orderBook/OrderBook.ts';

/** Levels to publish: size 0 deletes. Bids best (highest) first, asks lowest first. */
export interface BookDiff {
  readonly bids: Level[];
  readonly asks: Level[];
}

export class BookView {
  private bids = new Map<number, number>();
  private asks = new Map<number, number>();

  /**
   * @param depth levels per side the stream carries (Infinity: the whole book).
   * @param deletePushedOut send deletes for levels that only fell below `depth`. Kraken does not
   *   (clients truncate to their depth); venues publishing whole books never need to.
   */
  constructor(
    readonly depth: number,
    private readonly deletePushedOut = true,
  ) {}

  /** Start from the true book (a stream's first subscriber). */
  reset(truth: OrderBook): void {
    this.bids = new Map(truth.bids.slice(0, this.depth).map(([p, s]) => [p, s]));
    this.asks = new Map(truth.asks.slice(0, this.depth).map(([p, s]) => [p, s]));
  }

  /** The levels that turn this view into the truth's top `depth`; the view becomes that. */
  diff(truth: OrderBook): BookDiff {
    const bids = this.diffSide(this.bids, truth.bids, true);
    const asks = this.diffSide(this.asks, truth.asks, false);
    return { bids, asks };
  }

  /** The view as a snapshot, best first. */
  snapshot(): BookDiff {
    return {
      bids: [...this.bids].sort((a, b) => b[0] - a[0]),
      asks: [...this.asks].sort((a, b) => a[0] - b[0]),
    };
  }

  /** Best `n` levels of the view (checksums). */
  top(n: number): BookDiff {
    const s = this.snapshot();
    return { bids: s.bids.slice(0, n), asks: s.asks.slice(0, n) };
  }

  private diffSide(view: Map<number, number>, truth: readonly Level[], bid: boolean): Level[] {
    const out: Level[] = [];
    const n = Math.min(this.depth, truth.length);
    const next = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const [p, s] = truth[i]!;
      next.set(p, s);
      if (view.get(p) !== s) out.push([p, s]);
    }
    for (const p of view.keys()) {
      if (next.has(p)) continue;
      // A level that fell below the depth but still rests in the book is only truncated.
      if (this.deletePushedOut || !truth.some((l) => l[0] === p)) out.push([p, 0]);
    }
    if (bid) {
      this.bids = next;
      out.sort((a, b) => b[0] - a[0]);
    } else {
      this.asks = next;
      out.sort((a, b) => a[0] - b[0]);
    }
    return out;
  }
}
