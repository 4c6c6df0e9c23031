/**
 * How long to hold a symbol's resync request. A book that keeps failing right after its snapshot
 * (wrong precisions for a Kraken checksum, a venue bug, a hostile proxy) would otherwise
 * resubscribe on every update — dozens of requests a second, which venues answer with rate-limit
 * bans. The first `freeGaps` gaps inside `windowSec` resync at once; after that each one waits
 * twice as long as the last, up to `maxDelayMs`.
 */
export class ResyncThrottle {
  private readonly gaps = new Map<string, number[]>();

  constructor(
    private readonly o: { freeGaps: number; windowSec: number; maxDelayMs: number } = {
      freeGaps: 3,
      windowSec: 60,
      maxDelayMs: 30_000,
    },
  ) {}

  /** Note a gap of `symbol` at `nowSec`; returns how long its resync request should wait. */
  gap(symbol: string, nowSec: number): number {
    const recent = (this.gaps.get(symbol) ?? []).filter((t) => nowSec - t < this.o.windowSec);
    recent.push(nowSec);
    this.gaps.set(symbol, recent);
    const over = recent.length - this.o.freeGaps;
    return over <= 0 ? 0 : Math.min(this.o.maxDelayMs, 1000 * 2 ** (over - 1));
  }
}
