import type { BookSide, L2Order } from '../../core/events.ts';

/**
 * A price or size as the venue sent it: its exact decimal text, or the parsed JSON number when the
 * text is recoverable from it (Kraken v2 numbers, see `kraken.ts`). Rendered only when a checksum
 * needs it.
 */
export type RawDecimal = string | number;

/** Levels per call from which {@link LevelSide.setMany} sorts and merges instead of `set` each. */
export const BULK_LEVELS = 128;

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
   * {@link set} for many levels at once, in order (a later level for a price wins), in
   * O(M log M + N): the levels are sorted and merged with the side in one pass. One `set` per level
   * costs O(N) moves each, so a snapshot sent best-first (every bid lands at index 0) or shuffled
   * would cost O(N²). Returns, per level, what `set` would have returned.
   */
  setMany(
    prices: readonly number[],
    sizes: readonly number[],
    priceRaws: readonly RawDecimal[],
    sizeRaws: readonly RawDecimal[],
  ): boolean[] {
    const m = prices.length;
    if (m < BULK_LEVELS) {
      const res: boolean[] = [];
      for (let k = 0; k < m; k++)
        res.push(this.set(prices[k]!, sizes[k]!, priceRaws[k]!, sizeRaws[k]!));
      return res;
    }
    const changed = new Array<boolean>(m).fill(true);
    this.version++;
    const sign = this.sign;
    const idx = Array.from({ length: m }, (_, k) => k);
    idx.sort((a, b) => {
      const ka = sign * prices[a]!;
      const kb = sign * prices[b]!;
      return ka === kb ? a - b : ka - kb;
    });
    const { keys, sizes: oldSizes, priceRaws: oldPriceRaws, sizeRaws: oldSizeRaws, parts } = this;
    const k2: number[] = [];
    const s2: number[] = [];
    const p2: RawDecimal[] = [];
    const z2: RawDecimal[] = [];
    const c2: number[] = [];
    const keep = (i: number) => {
      k2.push(keys[i]!);
      s2.push(oldSizes[i]!);
      p2.push(oldPriceRaws[i]!);
      z2.push(oldSizeRaws[i]!);
      c2.push(parts[i]!);
    };
    let i = 0;
    let j = 0;
    while (j < m) {
      const key = sign * prices[idx[j]!]!;
      while (i < keys.length && keys[i]! < key) keep(i++);
      let present = i < keys.length && keys[i] === key;
      let at = -1; // the order that set the level last (-1: the level as it was)
      if (present) i++;
      for (; j < m && sign * prices[idx[j]!]! === key; j++) {
        const o = idx[j]!;
        if (sizes[o] !== 0) {
          present = true;
          at = o;
        } else if (present) present = false;
        else changed[o] = false;
      }
      if (!present) continue;
      if (at < 0) keep(i - 1);
      else {
        k2.push(key);
        s2.push(sizes[at]!);
        p2.push(priceRaws[at]!);
        z2.push(sizeRaws[at]!);
        c2.push(0);
      }
    }
    while (i < keys.length) keep(i++);
    replace(keys, k2);
    replace(oldSizes, s2);
    replace(oldPriceRaws, p2);
    replace(oldSizeRaws, z2);
    replace(parts, c2);
    return changed;
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

/** Makes `target` hold `source`'s elements (no spread: sides can have 500k levels). */
function replace<T>(target: T[], source: readonly T[]): void {
  for (let k = 0; k < source.length; k++) target[k] = source[k]!;
  target.length = source.length;
}

/**
 * Applies checked levels to `side` ({@link LevelSide.setMany}) and appends each level that changed
 * the side to `orders` (a delete of an absent level changes nothing), in arrival order.
 */
export function applyChecked(
  side: LevelSide,
  name: BookSide,
  prices: readonly number[],
  sizes: readonly number[],
  priceRaws: readonly RawDecimal[],
  sizeRaws: readonly RawDecimal[],
  orders: L2Order[] | undefined,
): void {
  const changed = side.setMany(prices, sizes, priceRaws, sizeRaws);
  if (orders)
    for (let k = 0; k < changed.length; k++)
      if (changed[k]) orders.push([name, prices[k]!, sizes[k]!]);
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
