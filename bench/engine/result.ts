import type { Event } from '../../src/core/events.ts';

export interface ChainParams {
  readonly exchange: string;
  readonly symbol: string;
  /** Book depth the engine's snapshot feature keeps. */
  readonly depth: number;
  /** Volatility and TVI look-back, seconds. */
  readonly windowSec: number;
  /** OHLCV bar length, seconds. */
  readonly barSec: number;
}

/** How many events a feature emitted, and its last one. */
export interface Last {
  count: number;
  event: Event | undefined;
}

export type ChainResult = Partial<Record<'mid' | 'volatility' | 'tvi' | 'ohlcv', Last>>;

/** Canonical text of a result, for the equality check between engine and fused loop. */
export function describeResult(r: ChainResult): string {
  return JSON.stringify(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k as keyof ChainResult]]),
  );
}
