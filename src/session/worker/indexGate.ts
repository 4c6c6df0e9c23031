/**
 * When a recording's decoded-events cache gets built: never beside a play that reads lines, so
 * the first play of a recording keeps both cores (the indexing worker beside a max-speed play
 * made it 0.091× a raw read instead of 0.132×, 2026-12-05).
 *
 * The source worker's side is {@link IdleIndexing}: the replay tells it each time it reads;
 * once it has read nothing for {@link IDLE_MS} (paused, ended, stepped, a slow play waiting for its
 * pacing), the indexing worker is started, or resumed; the next read holds it again at once. The
 * indexing worker's side is a {@link Valve} it waits on before each chunk.
 */

/** Quiet time after the replay's last read before the indexing runs (ms). */
export const IDLE_MS = 400;

/** What {@link IdleIndexing} needs of an indexing worker it started. */
export interface IndexerControl {
  /** Hold before the next chunk (what it wrote stays; it goes on from there). */
  pause(): void;
  resume(): void;
}

/** Timers, injectable (the unit tests fire them by hand). */
export interface IdleTimers {
  set(f: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: IdleTimers = {
  set: (f, ms) => setTimeout(f, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Runs an indexer only while the replay is idle. {@link reading} is cheap (a flag; one timer at
 * a time, re-armed when it fires after a read), so the reader may call it every few hundred lines.
 */
export class IdleIndexing {
  private control: IndexerControl | undefined;
  private running = false;
  private busy = false;
  private timer: unknown;
  private finished = false;

  constructor(
    /** Starts the indexing worker (called once, at the first quiet time). */
    private readonly start: () => IndexerControl,
    private readonly idleMs = IDLE_MS,
    private readonly timers: IdleTimers = realTimers,
  ) {}

  /** Whether the indexer is running now (not held, not yet started, not finished). */
  get indexing(): boolean {
    return this.running;
  }

  /** The replay reads (or asks for) lines: hold the indexer, wait for quiet again. */
  reading(): void {
    if (this.finished) return;
    this.busy = true;
    if (this.running) {
      this.running = false;
      this.control!.pause();
    }
    if (this.timer === undefined) this.arm();
  }

  /** The indexer ended (done or failed): nothing more to start or hold. */
  finish(): void {
    this.finished = true;
    this.running = false;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      if (this.finished) return;
      // Read since armed: not quiet for a whole period yet.
      if (this.busy) {
        this.busy = false;
        this.arm();
        return;
      }
      this.running = true;
      if (this.control) this.control.resume();
      else this.control = this.start();
    }, this.idleMs);
  }
}

/** The indexing worker's side: a loop awaits {@link wait} between steps; closed, it holds there. */
export class Valve {
  private waiters: (() => void)[] = [];
  private closed = false;

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.closed = false;
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves at once when open, else when opened. */
  wait(): Promise<void> {
    return this.closed ? new Promise((r) => this.waiters.push(r)) : Promise.resolve();
  }
}
