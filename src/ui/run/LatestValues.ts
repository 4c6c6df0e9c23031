import type { Event } from '../../core/events.ts';
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
  private counts = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastFlush = 0;

  constructor(private readonly store: ValuesStore) {}

  push(nodeId: string, event: Event): void {
    this.pending.set(nodeId, event);
    this.counts.set(nodeId, (this.counts.get(nodeId) ?? 0) + 1);
  }

  start(): void {
    this.lastFlush = performance.now();
    this.timer ??= setInterval(() => this.flush(), FLUSH_MS);
  }

  /** Stop flushing; `clear` also empties the displayed values. */
  stop(clear: boolean): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.counts.clear();
    if (clear) this.store.setState({ values: new Map(), rates: new Map() });
  }

  flush(): void {
    const now = performance.now();
    const dt = Math.max(1, now - this.lastFlush) / 1000;
    this.lastFlush = now;
    if (this.pending.size === 0 && this.counts.size === 0) return;
    const { values, rates } = this.store.getState();
    const nextValues = new Map(values);
    for (const [id, e] of this.pending) nextValues.set(id, e);
    const nextRates = new Map<string, number>();
    // Rates are smoothed so the badge does not flicker between flushes.
    for (const id of nextValues.keys()) {
      const r = (this.counts.get(id) ?? 0) / dt;
      nextRates.set(id, Math.round(((rates.get(id) ?? r) * 0.7 + r * 0.3) * 10) / 10);
    }
    this.pending.clear();
    this.counts.clear();
    this.store.setState({ values: nextValues, rates: nextRates });
  }
}
