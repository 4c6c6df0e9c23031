import type { GraphSnapshot } from '../core/graph/snapshot.ts';

/** A replay worker's state when every input before `line` is processed and nothing after. */
export interface ReplayCheckpoint {
  readonly line: number;
  readonly graph: GraphSnapshot;
  /** The decoder's state before `line` (source workers; undefined elsewhere). */
  readonly decoder: unknown;
}

/**
 * A replay worker's checkpoints, at multiples of `everyLines` (the same lines in every worker).
 * Past `max` of them, every other one is dropped — by line number (multiples of a doubling
 * spacing), so every worker keeps the same lines and a seek finds one they all hold.
 */
export class ReplayCheckpoints {
  private list: ReplayCheckpoint[];
  /** Decoder state at a checkpoint line, waiting for the graph to get there. */
  private readonly pendingDecoder = new Map<number, unknown>();

  constructor(
    private readonly everyLines: number,
    private readonly max: number,
    first: ReplayCheckpoint,
  ) {
    this.list = [first];
  }

  /** Bumped whenever the lines held change. */
  version = 0;

  /** Lines held, ascending (always 0). */
  get lines(): number[] {
    return this.list.map((c) => c.line);
  }

  at(line: number): ReplayCheckpoint | undefined {
    return this.list.find((c) => c.line === line);
  }

  has(line: number): boolean {
    return this.list.some((c) => c.line === line);
  }

  /** Whether the decoder's state before `line` is wanted (a checkpoint line not held yet). */
  wantsDecoder(line: number): boolean {
    return line % this.everyLines === 0 && !this.has(line);
  }

  noteDecoder(line: number, state: unknown): void {
    this.pendingDecoder.set(line, state);
  }

  /** Forget decoder states noted for lines the graph has not reached (a reset). */
  clearPending(): void {
    this.pendingDecoder.clear();
  }

  /**
   * Checkpoint at `line` (the graph is there now), unless held already or — `withDecoder` — the
   * decoder's state there was not noted. Returns the checkpoint added.
   */
  add(
    line: number,
    graph: () => GraphSnapshot,
    withDecoder: boolean,
  ): ReplayCheckpoint | undefined {
    if (this.has(line)) return undefined;
    let decoder: unknown;
    if (withDecoder) {
      decoder = this.pendingDecoder.get(line);
      this.pendingDecoder.delete(line);
      if (decoder === undefined) return undefined;
    }
    const cp: ReplayCheckpoint = { line, graph: graph(), decoder };
    this.insert(cp);
    return cp;
  }

  /** Take checkpoints another incarnation of this worker made (a restarted worker). */
  adopt(cps: readonly ReplayCheckpoint[]): void {
    for (const cp of cps) if (!this.has(cp.line)) this.insert(cp);
  }

  private insert(cp: ReplayCheckpoint): void {
    this.version++;
    const cps = this.list;
    let k = cps.length;
    while (k > 0 && cps[k - 1]!.line > cp.line) k--;
    cps.splice(k, 0, cp);
    for (let spacing = this.everyLines * 2; this.list.length > this.max; spacing *= 2)
      this.list = this.list.filter((c) => c.line % spacing === 0);
  }
}
