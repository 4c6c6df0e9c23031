/**
 * A lane's items packed once, when a checkpoint covers them, and sent to the recorder then. The
 * numbers sit in one buffer, transferred; the texts travel as one string, the items' NDJSON lines
 * joined by newlines (JSON text never holds a raw newline): one copy each way instead of a clone
 * of thousands of strings, which the recorder then allocated one by one; there its lines are
 * slices of that string ({@link batchTexts}). Measured in Chromium, five paired traced runs of
 * the storage bench: the stream worker's CPU per 100k lines 97 ms against 108 with the array,
 * the recorder's 109 against 112.
 */
export interface LaneBatch {
  /** How many items. */
  readonly n: number;
  /** The items' NDJSON texts, joined by `\n` (see {@link batchTexts}). */
  readonly text: string;
  /**
   * The numeric columns, `n` values each: stamp, end, ts (float64), venue, symbol (int32), kind
   * (uint8). See {@link batchColumns}.
   */
  readonly nums: ArrayBuffer;
}

/** The columns of a {@link LaneBatch}, as views on its buffer (no copy). */
export interface BatchColumns {
  readonly stamp: Float64Array;
  /** Lines: the last seq their input events took; outputs: -1. */
  readonly end: Float64Array;
  /** Lines: receipt time (outputs 0). */
  readonly ts: Float64Array;
  /** Index in the lane message's `names` (-1: none). */
  readonly venue: Int32Array;
  readonly symbol: Int32Array;
  /** Index in ITEM_KINDS (0: an output line). */
  readonly kind: Uint8Array;
}

const split = new WeakMap<LaneBatch, readonly string[]>();

/**
 * The items' texts of a {@link LaneBatch}, split once per batch. Throws, naming both counts, for
 * a batch that does not split into its `n` lines.
 */
export function batchTexts(b: LaneBatch): readonly string[] {
  let texts = split.get(b);
  if (texts) return texts;
  texts = b.text.split('\n');
  if (texts.length !== b.n)
    throw new Error(
      `lane batch: ${texts.length} lines for ${b.n} items (a text held a raw newline)`,
    );
  split.set(b, texts);
  return texts;
}

/** Bytes of the numeric columns of `n` items. */
const numsBytes = (n: number) => n * 41;

export function batchColumns(b: LaneBatch): BatchColumns {
  const n = b.n;
  return {
    stamp: new Float64Array(b.nums, 0, n),
    end: new Float64Array(b.nums, 8 * n, n),
    ts: new Float64Array(b.nums, 16 * n, n),
    venue: new Int32Array(b.nums, 24 * n, n),
    symbol: new Int32Array(b.nums, 28 * n, n),
    kind: new Uint8Array(b.nums, 32 * n, n),
  };
}

/** What a {@link LaneItems} keeps in a checkpoint (the items not packed yet: usually a few). */
export interface LaneItemsState {
  readonly texts: string[];
  readonly stamp: number[];
  readonly kind: number[];
  readonly end: number[];
  readonly ts: number[];
  readonly venue: number[];
  readonly symbol: number[];
}

/**
 * The items a lane buffered and has not packed yet, in push order. Plain arrays: pushing is the
 * hot path (once per frame); packing copies them into one buffer once.
 */
export class LaneItems {
  // Each column is stored once, here, and then only changed in place: a field stored again
  // (`this.texts = []` after each batch) deoptimizes every optimized function that reads it,
  // the hot push among them, once per recording.
  private readonly texts: string[];
  private readonly stamp: number[];
  private readonly kind: number[];
  private readonly end: number[];
  private readonly ts: number[];
  private readonly venue: number[];
  private readonly symbol: number[];

  constructor(s?: LaneItemsState) {
    this.texts = s ? [...s.texts] : [];
    this.stamp = s ? [...s.stamp] : [];
    this.kind = s ? [...s.kind] : [];
    this.end = s ? [...s.end] : [];
    this.ts = s ? [...s.ts] : [];
    this.venue = s ? [...s.venue] : [];
    this.symbol = s ? [...s.symbol] : [];
  }

  get length(): number {
    return this.stamp.length;
  }

  push(stamp: number, text: string, kind: number, ts: number, venue: number, symbol: number) {
    this.texts.push(text);
    this.stamp.push(stamp);
    this.kind.push(kind);
    this.end.push(-1);
    this.ts.push(ts);
    this.venue.push(venue);
    this.symbol.push(symbol);
  }

  /** Item `i` (a line) caused input events up to seq `end`. */
  setEnd(i: number, end: number): void {
    this.end[i] = end;
  }

  state(): LaneItemsState {
    return {
      texts: [...this.texts],
      stamp: [...this.stamp],
      kind: [...this.kind],
      end: [...this.end],
      ts: [...this.ts],
      venue: [...this.venue],
      symbol: [...this.symbol],
    };
  }

  /**
   * Pack the items with a stamp up to `cut` into one batch, in push order, and keep the rest;
   * undefined when there are none. Usually they are a prefix (stamps only grow while lines
   * alone are recorded, or outputs keep step): then no index is gathered.
   */
  take(cut: number): LaneBatch | undefined {
    const n = this.stamp.length;
    let prefix = 0;
    while (prefix < n && this.stamp[prefix]! <= cut) prefix++;
    let rest = prefix;
    while (rest < n && this.stamp[rest]! > cut) rest++;
    if (rest < n) {
      const pick: number[] = [];
      const keep: number[] = [];
      for (let i = 0; i < n; i++) (this.stamp[i]! <= cut ? pick : keep).push(i);
      const batch = this.pack(pick);
      // Kept items move down in place (keep is ascending: each moves to an index at or below).
      const left = <T>(a: T[]): void => {
        for (let k = 0; k < keep.length; k++) a[k] = a[keep[k]!]!;
        a.length = keep.length;
      };
      this.columns(left);
      return batch;
    }
    if (prefix === 0) return undefined;
    const batch = this.pack(prefix);
    this.columns(prefix === n ? (a) => (a.length = 0) : (a) => a.splice(0, prefix));
    return batch;
  }

  /** `f` applied to every column. */
  private columns(f: (a: unknown[]) => void): void {
    f(this.texts);
    f(this.stamp);
    f(this.kind);
    f(this.end);
    f(this.ts);
    f(this.venue);
    f(this.symbol);
  }

  /** The first `pick` items, or those at the indexes `pick`, packed. */
  private pack(pick: number | number[]): LaneBatch {
    const n = typeof pick === 'number' ? pick : pick.length;
    const nums = new ArrayBuffer(numsBytes(n));
    const b: LaneBatch = {
      n,
      text:
        typeof pick === 'number'
          ? pick === this.texts.length
            ? this.texts.join('\n')
            : this.texts.slice(0, pick).join('\n')
          : pick.map((i) => this.texts[i]!).join('\n'),
      nums,
    };
    const c = batchColumns(b);
    for (let k = 0; k < n; k++) {
      const i = typeof pick === 'number' ? k : pick[k]!;
      c.stamp[k] = this.stamp[i]!;
      c.end[k] = this.end[i]!;
      c.ts[k] = this.ts[i]!;
      c.venue[k] = this.venue[i]!;
      c.symbol[k] = this.symbol[i]!;
      c.kind[k] = this.kind[i]!;
    }
    return b;
  }
}
