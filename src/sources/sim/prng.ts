/**
 * A small seeded PRNG (mulberry32): 32-bit state, pure integer math, so the same seed gives the
 * same sequence in Node and in every browser. Not cryptographic; period 2^32, plenty for a
 * market model. Its state is one number, so a simulator holding it stays snapshot-friendly.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** The current state (restore with {@link mulberry32}). */
  readonly state: number;
}

/** A mulberry32 generator starting from `seed` (any number; reduced to uint32). */
export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    get state(): number {
      return a;
    },
  };
}

/** Exponential variate with the given mean (inverse CDF; `1 - u` avoids log(0)). */
export function exponential(rng: Prng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}
