import type { ReplayCheckpoint } from './ReplayCheckpoints.ts';
import type { ReplayCheckpointCopy } from './replayTypes.ts';

/**
 * The main thread's copies of every replay worker's checkpoints (the lines each still holds), so
 * a crashed worker's replacement starts from its predecessor's checkpoints rather than line 0.
 */
export class ReplayBackups {
  private readonly byWorker = new Map<number, Map<number, ReplayCheckpoint>>();
  /** The lines each worker said it holds checkpoints at, last (reports and copies). */
  private readonly heldBy = new Map<number, readonly number[]>();

  /** Worker `index` holds checkpoints at `lines` (copied or not). */
  setHeld(index: number, lines: readonly number[]): void {
    this.heldBy.set(index, lines);
  }

  /** A worker's new checkpoint; those it no longer holds are dropped. */
  add(copy: ReplayCheckpointCopy): void {
    this.heldBy.set(copy.worker, copy.held);
    let held = this.byWorker.get(copy.worker);
    if (!held) this.byWorker.set(copy.worker, (held = new Map()));
    held.set(copy.checkpoint.line, copy.checkpoint);
    const keep = new Set(copy.held);
    for (const line of held.keys()) if (!keep.has(line)) held.delete(line);
  }

  /**
   * The lines worker `index` holds checkpoints at, as it last said (always 0): maybe behind
   * what it holds now (a report on its way, a line thinned out since).
   */
  lines(index: number): number[] {
    const held = this.heldBy.get(index) ?? [];
    return [0, ...held.filter((l) => l !== 0)].sort((a, b) => a - b);
  }

  /** A replacement worker holds its predecessor's copies: what it holds until it says more. */
  adopted(index: number): void {
    this.heldBy.set(
      index,
      this.of(index).map((c) => c.line),
    );
  }

  /** Worker `index`'s checkpoints, ascending by line. */
  of(index: number): ReplayCheckpoint[] {
    const held = this.byWorker.get(index);
    return held ? [...held.values()].sort((a, b) => a.line - b.line) : [];
  }
}

/** The last line at or below `limit` (and `usable`) in every list; 0 when none is. */
export function commonLine(
  lists: readonly (readonly number[])[],
  limit: number,
  usable: (line: number) => boolean = () => true,
): number {
  let at = 0;
  for (const line of lists[0] ?? [0]) {
    if (line > limit || !usable(line)) continue;
    if (lists.every((l) => l.includes(line))) at = Math.max(at, line);
  }
  return at;
}
