import type { ReplayManager } from '../runtime/ReplayManager.ts';
import type { FedLines } from './FedLines.ts';
import type { ReplayClock } from './ReplayClock.ts';
import type { ReplayOutputs } from './ReplayOutputs.ts';
import type { ReplayStatePort } from './replayState.ts';

/** What a worker replay's seeks need of their controller. */
export interface SeekHost {
  readonly state: ReplayStatePort;
  readonly outputs: ReplayOutputs;
  readonly fed: FedLines;
  readonly clock: ReplayClock;
  manager(): ReplayManager | undefined;
  disposed(): boolean;
  /** Disposed, or failed. */
  ended(): boolean;
  until(cond: () => boolean): Promise<void>;
  /** Lines in the recording. */
  total(): number;
  /** Recording time at the playhead. */
  timeNow(): number;
  /** Publish the playhead. */
  publish(): void;
}

/**
 * A worker replay's seeks and steps. A seek: the manager restores every worker at one common
 * checkpoint line at or before the target and the workers replay forward silently; outputs below
 * the target are not shown, and each node's value as of the target is shown at the end. Counts
 * the seeks under way (the replay shows "Seeking" until none is left) and their progress. A step
 * back finds the event before in the fed lines the workers reported (or replays silently).
 */
export class WorkerReplaySeeks {
  /** Seeks asked for and not finished. */
  seeking = 0;
  private ticket = 0;
  private from = 0;
  private target = 0;

  constructor(private readonly h: SeekHost) {}

  /**
   * A seek to `target` is asked (counted from now): the step to run in turn, which seeks only if
   * no later seek was asked by then.
   */
  asked(target: number): () => Promise<void> {
    this.seeking++;
    const ticket = ++this.ticket;
    return async () => {
      // A later seek supersedes this one (a drag on the timeline asks for many): only it runs.
      if (ticket !== this.ticket) {
        this.seeking--;
        return;
      }
      await this.run(target);
    };
  }

  /** To just after the event before the one the playhead (at line `position`) shows. */
  async stepBack(position: number): Promise<void> {
    const cur = await this.eventBefore(position);
    const prev = cur === undefined ? undefined : await this.eventBefore(cur);
    await this.to(prev === undefined ? 0 : prev + 1);
  }

  /** Play on, from where the source workers hold, to just past the next line that fed the graph. */
  async stepForward(): Promise<void> {
    const { h } = this;
    const m = h.manager();
    if (!m) return;
    let p = await m.hold();
    await h.until(() => m.complete >= p);
    while (p < h.total() && !h.ended()) {
      const line = p;
      m.playTo(line + 1, Infinity);
      await h.until(() => m.position > line && m.complete > line);
      p = line + 1;
      if (h.fed.has(line)) break;
    }
    h.publish();
  }

  /** Seek to `target` now (see {@link run}). */
  private to(target: number, below = Infinity): Promise<number> {
    this.seeking++;
    return this.run(target, below);
  }

  /** How far the seek under way is, the workers being at line `position` (0 to 1). */
  fraction(position: number): number {
    const span = Math.max(1, this.target - this.from);
    return Math.max(0, Math.min(1, (position - this.from) / span));
  }

  /**
   * The last line before `line` that fed the graph: from the remembered fed lines, else found
   * by replaying (silently) from the checkpoint before it, then earlier ones while none is found
   * — about one checkpoint spacing, wherever `line` is.
   */
  private async eventBefore(line: number): Promise<number | undefined> {
    const { fed } = this.h;
    const hit = fed.before(line);
    if (hit !== undefined && hit >= fed.from) return hit;
    for (let upTo = line; upTo > 0 && !this.h.ended();) {
      const from = await this.to(upTo, upTo);
      const found = fed.before(upTo);
      if (found !== undefined && found >= from) return found;
      upTo = from;
    }
    return undefined;
  }

  /**
   * Seek to `target` (the caller counted it in `seeking`), restoring a checkpoint below `below`;
   * returns the line restored: the fed lines from there to `target` are known afterwards.
   */
  private async run(target: number, below = Infinity): Promise<number> {
    const { h } = this;
    const m = h.manager();
    let from = 0;
    try {
      if (!m || h.disposed()) return 0;
      h.clock.resend();
      h.outputs.silentBelow = target;
      this.target = target;
      from = await m.seek(
        target,
        (line) => line === 0 || (line < below && h.outputs.knowsValuesAt(line)),
        (at) => {
          this.from = at;
          h.outputs.restoreAt(at);
          // The fed lines cover [at, …) again as the workers replay.
          h.fed.rewind(at);
        },
      );
      await h.until(() => m.position >= target && m.complete >= target);
      h.clock.restart(h.timeNow());
    } finally {
      this.seeking--;
      if (this.seeking === 0) {
        h.outputs.showLatest();
        h.state.setState({ busy: undefined });
      }
      h.publish();
    }
    return from;
  }
}
