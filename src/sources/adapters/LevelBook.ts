import type { BookSide } from '../../core/events.ts';

/**
 * One side of a price-level book kept for integrity checks (checksums, truncation to the subscribed
 * depth). Levels sit in parallel arrays sorted worst → best, so the busy top of the book is at the
 * array's end, where inserts and deletes move few elements; lookups are binary searches.
 *
 * Levels are keyed by the parsed price. That is exact for identity: two decimal spellings of one
 * value (`8477`, `8477.0`) parse to the same double, and distinct decimals of at most 15 significant
 * digits never collide. The venue's exact decimal text is kept beside the key for the checksum.
 */
export class LevelSide {
  readonly side: BookSide;
  /** Ascending sort keys, best last: the price for bids, minus the price for asks. */
  private readonly keys: number[] = [];
  private readonly sizes: number[] = [];
  private readonly priceTexts: string[] = [];
  private readonly sizeTexts: string[] = [];
  /** Checksum token per level, computed on demand; '' = not computed yet. */
  private readonly tokens: string[] = [];
  private readonly sign: number;

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
  set(price: number, size: number, priceText: string, sizeText: string): boolean {
    const key = this.sign * price;
    const at = this.search(key);
    if (size === 0) {
      if (at < 0) return false;
      this.keys.splice(at, 1);
      this.sizes.splice(at, 1);
      this.priceTexts.splice(at, 1);
      this.sizeTexts.splice(at, 1);
      this.tokens.splice(at, 1);
      return true;
    }
    if (at >= 0) {
      this.sizes[at] = size;
      this.priceTexts[at] = priceText;
      this.sizeTexts[at] = sizeText;
      this.tokens[at] = '';
      return true;
    }
    const ins = -at - 1;
    if (ins === this.keys.length) {
      this.keys.push(key);
      this.sizes.push(size);
      this.priceTexts.push(priceText);
      this.sizeTexts.push(sizeText);
      this.tokens.push('');
    } else {
      this.keys.splice(ins, 0, key);
      this.sizes.splice(ins, 0, size);
      this.priceTexts.splice(ins, 0, priceText);
      this.sizeTexts.splice(ins, 0, sizeText);
      this.tokens.splice(ins, 0, '');
    }
    return true;
  }

  /** Keeps the `depth` best levels; calls `removed(price)` for each level dropped (worst first). */
  truncate(depth: number, removed?: (price: number) => void): void {
    const drop = this.keys.length - depth;
    if (drop <= 0) return;
    if (removed) for (let i = 0; i < drop; i++) removed(this.sign * this.keys[i]!);
    this.keys.splice(0, drop);
    this.sizes.splice(0, drop);
    this.priceTexts.splice(0, drop);
    this.sizeTexts.splice(0, drop);
    this.tokens.splice(0, drop);
  }

  clear(): void {
    this.keys.length = 0;
    this.sizes.length = 0;
    this.priceTexts.length = 0;
    this.sizeTexts.length = 0;
    this.tokens.length = 0;
  }

  /** Price of the `rank`-th best level (0 = best). */
  price(rank: number): number {
    return this.sign * this.keys[this.keys.length - 1 - rank]!;
  }

  size(rank: number): number {
    return this.sizes[this.sizes.length - 1 - rank]!;
  }

  priceText(rank: number): string {
    return this.priceTexts[this.priceTexts.length - 1 - rank]!;
  }

  sizeText(rank: number): string {
    return this.sizeTexts[this.sizeTexts.length - 1 - rank]!;
  }

  /**
   * The checksum token of the `rank`-th best level, made by `make(priceText, sizeText)` once and
   * cached until the level changes or `clearTokens()`. Undefined if `make` fails.
   */
  token(
    rank: number,
    make: (priceText: string, sizeText: string) => string | undefined,
  ): string | undefined {
    const i = this.tokens.length - 1 - rank;
    const cached = this.tokens[i]!;
    if (cached !== '') return cached;
    const made = make(this.priceTexts[i]!, this.sizeTexts[i]!);
    if (made !== undefined && made !== '') this.tokens[i] = made;
    return made;
  }

  /** Forgets cached tokens (e.g. the pair's precisions changed). */
  clearTokens(): void {
    this.tokens.fill('');
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
