import { toMicros } from '../events.ts';
import type { Feature } from '../feature/Feature.ts';
import type { SourceGap } from './gaps.ts';

/**
 * A source silent for this long in input time (while other sources advanced) is taken to have
 * passed it: CSV rows wait at most this long for it, so memory is bounded by time, not input size.
 */
export const MAX_SOURCE_LAG_SEC = 3600;
const MAX_LAG_US = MAX_SOURCE_LAG_SEC * 1e6;

/** A gap of one configured source, as the outputs mark it: data unknown in `(start, end)`. */
export interface ClosedGap {
  readonly source: Feature;
  /** Configured output positions downstream of the source. */
  readonly outputs: readonly number[];
  readonly reason: string;
  /** Timestamp of the source's last event before the gap (exclusive), epoch seconds. */
  readonly start: number;
  /** Timestamp of its first event after the gap (exclusive), or the input's last (`open`). */
  readonly end: number;
  /** True when the input ended inside the gap. */
  readonly open: boolean;
}

interface OpenGap {
  readonly reason: string;
  readonly start: number;
  readonly startUs: number;
}

interface SourceState {
  readonly feature: Feature;
  readonly outputs: number[];
  /** Largest event timestamp seen (µs, and as given), -Infinity before the first. */
  maxUs: number;
  maxSec: number;
  open: OpenGap | undefined;
  /** Closed gaps `[startUs, endUs]` that rows not yet written may fall in. */
  closed: { startUs: number; endUs: number }[];
}

/**
 * Per-source event time and gaps, for the batch outputs: which sources have reached which
 * timestamp (CSV rows are final once every source they depend on passed them) and which sources
 * were inside a gap when (those sources' columns are left empty).
 *
 * Assumes each source's timestamps never decrease, as the as-of join does. A source that has
 * sent nothing yet is taken to be at the input's largest timestamp so far; one that went silent,
 * at most {@link MAX_SOURCE_LAG_SEC} behind it.
 */
export class SourceClocks {
  private readonly byKey = new Map<string, SourceState>();
  /** Sources of each configured output. */
  private readonly ofOutput: SourceState[][];
  private globalUs = -Infinity;
  private globalSec = -Infinity;

  constructor(features: readonly Feature[]) {
    this.ofOutput = features.map((f, i) =>
      f.dataSources().map((src) => {
        let s = this.byKey.get(src.key);
        if (!s) {
          s = {
            feature: src,
            outputs: [],
            maxUs: -Infinity,
            maxSec: -Infinity,
            open: undefined,
            closed: [],
          };
          this.byKey.set(src.key, s);
        }
        if (!s.outputs.includes(i)) s.outputs.push(i);
        return s;
      }),
    );
  }

  /** An event of `source` at `ts` is about to be processed: closes its gap, if any. */
  before(source: Feature, ts: number): ClosedGap | undefined {
    const s = this.byKey.get(source.key);
    if (!s?.open) return undefined;
    const g = s.open;
    s.open = undefined;
    s.closed.push({ startUs: g.startUs, endUs: toMicros(ts) });
    return {
      source: s.feature,
      outputs: s.outputs,
      reason: g.reason,
      start: g.start,
      end: ts,
      open: false,
    };
  }

  /** An event of `source` at `ts` was processed, outputs included. */
  after(source: Feature, ts: number): void {
    const us = toMicros(ts);
    const s = this.byKey.get(source.key);
    if (s && us > s.maxUs) {
      s.maxUs = us;
      s.maxSec = ts;
    }
    if (us > this.globalUs) {
      this.globalUs = us;
      this.globalSec = ts;
    }
  }

  /** Opens a gap on every configured source of that venue stream not already in one. */
  gap(g: SourceGap): void {
    for (const s of this.byKey.values()) {
      const def = s.feature.definition;
      const p = s.feature.params;
      if (s.open || def.kind !== 'source' || def.channel !== g.channel) continue;
      if (p.exchange !== g.exchange || p.symbol !== g.symbol) continue;
      const start =
        s.maxUs > -Infinity
          ? s.maxSec
          : this.globalUs > -Infinity
            ? this.globalSec
            : g.receipt_timestamp;
      s.open = { reason: g.reason, start, startUs: toMicros(start) };
    }
  }

  /** End of input: every gap still open, ended at the input's last timestamp. */
  closeAll(): ClosedGap[] {
    const out: ClosedGap[] = [];
    for (const s of this.byKey.values()) {
      if (!s.open) continue;
      const g = s.open;
      const end = Math.max(this.globalSec, g.start);
      out.push({
        source: s.feature,
        outputs: s.outputs,
        reason: g.reason,
        start: g.start,
        end,
        open: true,
      });
    }
    return out;
  }

  /** No future event of output `i`'s sources has a timestamp at or below this (µs). */
  watermarkUs(i: number): number {
    let w = Infinity;
    for (const s of this.ofOutput[i]!) {
      const at =
        s.maxUs > -Infinity ? Math.max(s.maxUs, this.globalUs - MAX_LAG_US) : this.globalUs;
      w = Math.min(w, at);
    }
    return w;
  }

  /**
   * Whether a source of output `i` is in a gap that began before `us` and may still end at or
   * before it (its end is unknown, and not yet {@link MAX_SOURCE_LAG_SEC} behind the input).
   */
  undecided(i: number, us: number): boolean {
    if (us < this.globalUs - MAX_LAG_US) return false;
    return this.ofOutput[i]!.some((s) => s.open !== undefined && s.open.startUs < us);
  }

  /** Whether output `i`'s data at `us` is unknown: a source of it was in a gap then. */
  inGap(i: number, us: number): boolean {
    for (const s of this.ofOutput[i]!) {
      if (s.open && s.open.startUs < us) return true;
      for (const c of s.closed) if (c.startUs < us && us < c.endUs) return true;
    }
    return false;
  }

  /** Forget closed gaps that end at or before `us`: no row still to write is that early. */
  prune(us: number): void {
    for (const s of this.byKey.values())
      if (s.closed.length > 0 && s.closed[0]!.endUs <= us)
        s.closed = s.closed.filter((c) => c.endUs > us);
  }

  /** Closed gaps remembered (for tests: bounded). */
  get remembered(): number {
    let n = 0;
    for (const s of this.byKey.values()) n += s.closed.length;
    return n;
  }
}
