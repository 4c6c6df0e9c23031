import type { Event } from '../core/events.ts';
import type { NodeEvents } from './PipelineRunner.ts';

/** About one animation frame: the UI never needs output more often than it can paint. */
export const BATCH_MS = 16;

/**
 * Collects per-event output into per-node lists and hands them over as one batch at most every
 * {@link BATCH_MS}, so nothing downstream of a runner works per event.
 */
export class OutputBatcher {
  private pending = new Map<string, Event[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deliver: (batch: readonly NodeEvents[]) => void) {}

  push(nodeId: string, event: Event): void {
    const list = this.pending.get(nodeId);
    if (list) list.push(event);
    else this.pending.set(nodeId, [event]);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending].map(([nodeId, events]) => ({ nodeId, events }));
    this.pending = new Map();
    this.deliver(batch);
  }

  /** Drop what is pending (the run it belongs to is gone). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
