import type { ReplayCheckpoint } from './ReplayCheckpoints.ts';
import type { ReplayCheckpointCopy } from './replayTypes.ts';

/**
 * The main thread's copies of every replay worker's checkpoints (the lines each still holds), so
 * a crashed worker's replacement starts from its predecessor's checkpoints rather than line 0.
 */
export class ReplayBackups {
  private readonly byWorker = new Map<number, Map<number, ReplayCheckpoint>>();

  /** A worker's new checkpoint; those it no longer holds are dropped. */
  add(copy: ReplayCheckpointCopy): void {
    let held = this.byWorker.get(copy.worker);
    if (!held) this.byWorker.set(copy.worker, (held = new Map()));
    held.set(copy.checkpoint.line, copy.checkpoint);
    const keep = new Set(copy.held);
    for (const line of held.keys()) if (!keep.has(line)) held.delete(line);
  }

  /**
   * The lines worker `index` holds checkpoints at, as its copies say (always 0, which it makes
   * without copying): maybe behind what it holds now (a copy on its way, one thinned out since).
   */
  lines(index: number): number[] {
    const held = this.byWorker.get(index);
    return [0, ...[...(held?.keys() ?? [])].filter((l) => l !== 0)].sort((a, b) => a - b);
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
