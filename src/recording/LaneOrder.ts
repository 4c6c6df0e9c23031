import type { LaneMessage } from './recordingProtocol.ts';

/** One feed instance's messages as they came, and how far they have been handed on. */
interface Feed {
  readonly queue: LaneMessage[];
  /** The highest checkpoint mark (`ck`) handed on. */
  passed: number;
  /** Restored from checkpoint `id` of feed `inc`: waits until that mark is handed on. */
  after?: { readonly inc: string; readonly id: number };
}

/**
 * Hands lane messages on in an order the merge can trust across a worker's restore. Each feed
 * sends on its own port, so a failed worker's last messages may still be on their way when its
 * replacement's first one arrives. The replacement resends only what the checkpoint it was
 * restored from held unsent; what the failed feed had sent before that checkpoint must already
 * be in the merge when the replacement's watermark passes it, or the merge would take those items
 * for repeats. So a restored feed's messages wait here until the checkpoint's mark (`ck`, which
 * the failed feed sent just before posting the checkpoint) has been handed on; chains of restores
 * wait in turn. Without a restore nothing waits.
 */
export class LaneOrder {
  private readonly feeds = new Map<string, Feed>();

  constructor(private readonly out: (m: LaneMessage) => void) {}

  add(m: LaneMessage): void {
    const key = `${m.run}:${m.lane}:${m.inc}`;
    let f = this.feeds.get(key);
    if (!f) this.feeds.set(key, (f = { queue: [], passed: -Infinity }));
    if (m.restored) f.after = m.restored;
    f.queue.push(m);
    this.pump();
  }

  /** The end: what a restored feed still waits for will not come; hand everything on. */
  finish(): void {
    for (const f of this.feeds.values()) f.after = undefined;
    this.pump();
    this.feeds.clear();
  }

  private pump(): void {
    for (let moved = true; moved;) {
      moved = false;
      for (const [key, f] of this.feeds) {
        if (f.after) {
          const from = this.feeds.get(`${key.split(':').slice(0, 2).join(':')}:${f.after.inc}`);
          if (!from || from.passed < f.after.id) continue;
          f.after = undefined;
        }
        while (f.queue.length > 0) {
          const m = f.queue.shift()!;
          if (m.ck !== undefined) f.passed = Math.max(f.passed, m.ck);
          this.out(m);
          moved = true;
        }
      }
    }
  }
}
