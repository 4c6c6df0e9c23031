import type { ReplayReport } from './replayTypes.ts';

/**
 * How far the source workers of a replay have read in the current epoch, from their reports:
 * the playhead is the line every one of them has reached. After a crash, the lines they had
 * reported as fed are not passed on again as they replay them.
 */
export class ReplayProgress {
  /** Source workers → the next line each will read. */
  private readonly lines = new Map<number, number>();
  private readonly times = new Map<number, number | undefined>();
  /** Per source worker, lines below this were reported fed before a crash. */
  private readonly fedBelow = new Map<number, number>();

  constructor(sourceWorkers: readonly number[]) {
    for (const w of sourceWorkers) this.lines.set(w, 0);
  }

  /** Lines every source worker has read. */
  get position(): number {
    let p = Infinity;
    for (const l of this.lines.values()) p = Math.min(p, l);
    return p === Infinity ? 0 : p;
  }

  /** Receipt time of line `position - 1`, as reported (undefined before any line). */
  get time(): number | undefined {
    const p = this.position;
    for (const [w, l] of this.lines) if (l === p) return this.times.get(w);
    return undefined;
  }

  /** Every source worker starts over at `line` (a new epoch). */
  restart(line: number): void {
    for (const w of this.lines.keys()) {
      this.lines.set(w, line);
      this.times.delete(w);
    }
  }

  /** A crash: the fed lines reported so far will not be reported again. */
  keepFed(): void {
    for (const [w, line] of this.lines)
      this.fedBelow.set(w, Math.max(this.fedBelow.get(w) ?? 0, line));
  }

  /** A seek: the caller starts its fed lines afresh. */
  forgetFed(): void {
    this.fedBelow.clear();
  }

  /** A report of the current epoch: noted; returned with only the fed lines not seen before. */
  report(r: ReplayReport): ReplayReport {
    if (this.lines.has(r.worker)) {
      this.lines.set(r.worker, r.line);
      this.times.set(r.worker, r.time);
    }
    const below = this.fedBelow.get(r.worker);
    return below ? { ...r, fed: r.fed.filter((l) => l >= below) } : r;
  }
}
