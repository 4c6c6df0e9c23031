import type { Event } from '../../core/events.ts';
import { SlidingRates } from '../../runtime/SlidingRate.ts';
import type { ValuesStore } from '../state/valuesStore.ts';

/** Flush period: ~10 updates per second is plenty for reading numbers and cheap for React. */
export const FLUSH_MS = 100;

/**
 * Coalesces runner output into the values store: `push` (per event) only overwrites a map
 * entry; a timer copies the entries that changed into the store at most every {@link FLUSH_MS},
 * keeping unchanged entries' identities so only nodes with new values re-render.
 */
export class LatestValues {
  private pending = new Map<string, Event>();
  /** Events delivered per node since start (cumulative: the rate slides over it). */
  private counts = new Map<string, number>();
  private rates = new SlidingRates<string>();
  private startedAt = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly store: ValuesStore) {}

  push(nodeId: string, event: Event): void {
    this.pending.set(nodeId, event);
    this.counts.set(nodeId, (this.counts.get(nodeId) ?? 0) + 1);
  }

  start(): void {
    this.startedAt = performance.now();
    this.timer ??= setInterval(() => this.flush(), FLUSH_MS);
  }

  /** Stop flushing; `clear` also empties the displayed values. */
  stop(clear: boolean): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.counts.clear();
    this.rates.clear();
    if (clear) this.store.setState({ values: new Map(), rates: new Map() });
  }

  /**
   * Copy the new values into the store, with each node's delivered events/s over a sliding second
   * (the studio's one rate definition; used where no runner telemetry counts the node, e.g. replay).
   */
  flush(): void {
    const now = performance.now();
    const { values, rates } = this.store.getState();
    if (this.pending.size === 0 && rates.size === 0) return;
    const nextValues = new Map(values);
    for (const [id, e] of this.pending) nextValues.set(id, e);
    const nextRates = new Map<string, number>();
    for (const id of nextValues.keys()) {
      if (!rates.has(id)) this.rates.observe(id, 0, this.startedAt);
      const r = this.rates.observe(id, this.counts.get(id) ?? 0, now);
      nextRates.set(id, Math.round(r * 10) / 10);
    }
    this.pending.clear();
    this.store.setState({ values: nextValues, rates: nextRates });
  }
}
