import type { BookSide, L2Order } from '../../core/events.ts';

/**
 * A price or size as the venue sent it: its exact decimal text, or the parsed JSON number when the
 * text is recoverable from it (Kraken v2 numbers, see `kraken.ts`). Rendered only when a checksum
 * needs it.
 */
export type RawDecimal = string | number;

/**
 * One side of a price-level book kept for integrity checks (checksums, truncation to the subscribed
 * depth). Levels sit in parallel arrays sorted worst → best, so the busy top of the book is at the
 * array's end, where inserts and deletes move few elements; lookups are binary searches.
 *
 * Levels are keyed by the parsed price. That is exact for identity: two decimal spellings of one
 * value (`8477`, `8477.0`) parse to the same double, and distinct decimals of at most 15 significant
 * digits never collide. The venue's raw decimal is kept beside the key for the checksum.
 */
export class LevelSide {
  readonly side: BookSide;
  /** Ascending sort keys, best last: the price for bids, minus the price for asks. */
  private readonly keys: number[] = [];
  private readonly sizes: number[] = [];
  private readonly priceRaws: RawDecimal[] = [];
  private readonly sizeRaws: RawDecimal[] = [];
  /**
   * Checksum contribution per level (a `crc32` part of its token), computed on demand; 0 = not
   * computed yet (no token is empty).
   */
  private readonly parts: number[] = [];
  private readonly sign: number;
  /** Bumped on every change, so callers can cache things derived from the side. */
  version = 0;

  constructor(side: BookSide) {
    this.side = side;
    this.sign = side === 'bid' ? 1 : -1;
  }

  get length(): number {
    return this.keys.length;
  }

  /** Index of `key`, or `-(insertion point) - 1` when absent. */
  private search(key: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length - 1;
    // Most changes hit the top of the book, i.e. the end of the arrays: check there first.
    if (hi >= 0 && keys[hi]! < key) return -(hi + 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /**
   * Sets the level at `price` to `size`; size 0 deletes it. Returns false only for a delete of a
   * level that is not there (nothing changed).
   */
  set(price: number, size: number, priceRaw: RawDecimal, sizeRaw: RawDecimal): boolean {
    const key = this.sign * price;
    const at = this.search(key);
    this.version++;
    if (size === 0) {
      if (at < 0) return false;
      this.keys.splice(at, 1);
      this.sizes.splice(at, 1);
      this.priceRaws.splice(at, 1);
      this.sizeRaws.splice(at, 1);
      this.parts.splice(at, 1);
      return true;
    }
    if (at >= 0) {
      this.sizes[at] = size;
      this.priceRaws[at] = priceRaw;
      this.sizeRaws[at] = sizeRaw;
      this.parts[at] = 0;
      return true;
    }
    const ins = -at - 1;
    if (ins === this.keys.length) {
      this.keys.push(key);
      this.sizes.push(size);
      this.priceRaws.push(priceRaw);
      this.sizeRaws.push(sizeRaw);
      this.parts.push(0);
    } else {
      this.keys.splice(ins, 0, key);
      this.sizes.splice(ins, 0, size);
      this.priceRaws.splice(ins, 0, priceRaw);
      this.sizeRaws.splice(ins, 0, sizeRaw);
      this.parts.splice(ins, 0, 0);
    }
    return true;
  }

  /**
   * Keeps the `depth` best levels. Each dropped level is appended to `removed` (if given) as a
   * delete, `[side, price, 0]`, worst first.
   */
  truncate(depth: number, removed?: L2Order[]): void {
    const drop = this.keys.length - depth;
    if (drop <= 0) return;
    this.version++;
    if (removed)
      for (let i = 0; i < drop; i++) removed.push([this.side, this.sign * this.keys[i]!, 0]);
    this.keys.splice(0, drop);
    this.sizes.splice(0, drop);
    this.priceRaws.splice(0, drop);
    this.sizeRaws.splice(0, drop);
    this.parts.splice(0, drop);
  }

  clear(): void {
    this.version++;
    this.keys.length = 0;
    this.sizes.length = 0;
    this.priceRaws.length = 0;
    this.sizeRaws.length = 0;
    this.parts.length = 0;
  }

  /** Price of the `rank`-th best level (0 = best). */
  price(rank: number): number {
    return this.sign * this.keys[this.keys.length - 1 - rank]!;
  }

  size(rank: number): number {
    return this.sizes[this.sizes.length - 1 - rank]!;
  }

  /** Decimal text of the `rank`-th best price, as the venue sent it (or `String` of its number). */
  priceText(rank: number): string {
    return String(this.priceRaws[this.priceRaws.length - 1 - rank]);
  }

  sizeText(rank: number): string {
    return String(this.sizeRaws[this.sizeRaws.length - 1 - rank]);
  }

  /**
   * The checksum part of the `rank`-th best level, made by `make(priceRaw, sizeRaw)` once and
   * cached until the level changes or `clearTokens()`. Negative if `make` fails (not cached).
   */
  part(rank: number, make: (price: RawDecimal, size: RawDecimal) => number): number {
    const i = this.parts.length - 1 - rank;
    const cached = this.parts[i]!;
    if (cached > 0) return cached;
    const made = make(this.priceRaws[i]!, this.sizeRaws[i]!);
    if (made > 0) this.parts[i] = made;
    return made;
  }

  /** Forgets cached checksum parts (e.g. the pair's precisions changed). */
  clearTokens(): void {
    this.version++;
    this.parts.fill(0);
  }
}

/** Both sides of a book. */
export class LevelBook {
  readonly bids = new LevelSide('bid');
  readonly asks = new LevelSide('ask');

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  clearTokens(): void {
    this.bids.clearTokens();
    this.asks.clearTokens();
  }
}
