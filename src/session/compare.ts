import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { Event } from '../core/events.ts';
import { diffPath } from './diffPath.ts';
import { ChunkLines, ReplayEngine } from './ReplayEngine.ts';

export { diffPath } from './diffPath.ts';

/** Where a replay first disagrees with the outputs recorded live. */
export interface Divergence {
  readonly nodeId: string;
  /** Index of the diverging event among that node's outputs (0-based). */
  readonly index: number;
  /** Its event time (epoch seconds), from whichever side has it. */
  readonly time: number | undefined;
  /** Recorded live / replayed now; undefined: that side has no such event. */
  readonly recorded: Event | undefined;
  readonly replayed: Event | undefined;
  /** The first differing field path, e.g. `value` or `orders[3][1]`. */
  readonly field: string | undefined;
}

export interface CompareResult {
  /** Recorded output events compared. */
  readonly compared: number;
  readonly nodes: number;
  readonly divergence: Divergence | undefined;
}

export interface CompareOptions {
  /** Absolute difference allowed on numbers (default 0: exact). */
  readonly tolerance?: number;
  /** False when output recording ended early (pipeline edited): extra replayed events are fine. */
  readonly recordedComplete?: boolean;
}

/** A recorded output waiting for its replayed counterpart: `g` is its place in live order. */
interface Pending {
  readonly g: number;
  readonly event: Event;
  /** Distinct nodes among the recorded outputs up to this one (reported as `nodes`). */
  readonly nodes: number;
}

/** A node's replayed events not yet matched (the identical case drains it every chunk). */
const MAX_PENDING = 100_000;

/**
 * Compares a replay with the outputs recorded live, a chunk at a time, so memory stays bounded
 * by a chunk however long the recording: {@link push} replays one chunk's lines through `doc`
 * and queues its recorded outputs (`{"node","event"}` lines in live emission order); per node,
 * recorded event i is diffed with replayed event i as soon as both exist. The divergence reported
 * is the earliest in live order, then (at {@link finish}) a recorded event the replay never
 * produced, then a node that replays more events than were recorded. Pure: runs in Node, in a
 * worker or on the main thread alike.
 */
export class OutputComparer {
  private readonly engine: ReplayEngine;
  private readonly lines = new ChunkLines();
  private readonly replayed = new Map<string, Event[]>();
  private readonly recorded = new Map<string, Pending[]>();
  private readonly seen = new Map<string, number>();
  private readonly matched = new Map<string, number>();
  private g = 0;
  private best: (Divergence & { g: number; nodes: number }) | undefined;
  private readonly tol: number;

  constructor(
    doc: PipelineDoc,
    private readonly options: CompareOptions = {},
  ) {
    this.tol = options.tolerance ?? 0;
    this.engine = new ReplayEngine(doc, this.lines, (nodeId, raw) => {
      // Recorded outputs went through JSON (NaN → null, -0 → 0): compare like with like.
      const e = JSON.parse(JSON.stringify(raw)) as Event;
      const q = this.replayed.get(nodeId);
      if (!q) this.replayed.set(nodeId, [e]);
      else if (q.length < MAX_PENDING) q.push(e);
    });
  }

  /** Recorded outputs walked so far. */
  get compared(): number {
    return this.g;
  }

  /** Whether the earliest divergence is already known (reading further cannot change it). */
  get decided(): boolean {
    const best = this.best;
    if (!best) return false;
    for (const q of this.recorded.values()) if (q.length > 0 && q[0]!.g < best.g) return false;
    return true;
  }

  /** Replay the next chunk's lines, then take in the outputs they produced live. */
  push(lines: readonly string[], recordedOutputs: readonly string[]): void {
    this.lines.set(this.engine.position, lines);
    this.engine.runTo(this.lines.end);
    this.lines.set(this.lines.end, []);
    for (const text of recordedOutputs) {
      const { node, event } = JSON.parse(text) as { node: string; event: Event };
      this.seen.set(node, (this.seen.get(node) ?? 0) + 1);
      const p = { g: this.g++, event, nodes: this.seen.size };
      const q = this.recorded.get(node);
      if (q) q.push(p);
      else this.recorded.set(node, [p]);
    }
    for (const node of this.recorded.keys()) this.match(node);
  }

  /** The result once every chunk has been pushed (or {@link decided}). */
  finish(): CompareResult {
    for (const [nodeId, q] of this.recorded) {
      const p = q[0];
      if (p && (!this.best || p.g < this.best.g))
        this.note(nodeId, this.matched.get(nodeId) ?? 0, p, undefined, '');
    }
    if (this.best) {
      const { g, nodes, ...divergence } = this.best;
      return { compared: g + 1, nodes, divergence };
    }
    const result = { compared: this.g, nodes: this.seen.size };
    if (this.options.recordedComplete !== false) {
      for (const [nodeId, q] of this.replayed) {
        if (q.length === 0) continue;
        const index = this.matched.get(nodeId) ?? 0;
        return { ...result, divergence: divergenceOf(nodeId, index, undefined, q[0], '') };
      }
    }
    return { ...result, divergence: undefined };
  }

  private match(node: string): void {
    const theirs = this.recorded.get(node)!;
    const mine = this.replayed.get(node);
    if (!mine || mine.length === 0 || theirs.length === 0) return;
    const n = Math.min(theirs.length, mine.length);
    let i = this.matched.get(node) ?? 0;
    for (let k = 0; k < n; k++, i++) {
      const p = theirs[k]!;
      if (this.best && p.g > this.best.g) continue;
      const field = diffPath(p.event, mine[k], this.tol, '');
      if (field !== undefined) this.note(node, i, p, mine[k], field);
    }
    this.matched.set(node, i);
    theirs.splice(0, n);
    mine.splice(0, n);
  }

  private note(
    node: string,
    index: number,
    p: Pending,
    mine: Event | undefined,
    field: string,
  ): void {
    if (this.best && this.best.g <= p.g) return;
    this.best = { ...divergenceOf(node, index, p.event, mine, field), g: p.g, nodes: p.nodes };
  }
}

function divergenceOf(
  nodeId: string,
  index: number,
  recorded: Event | undefined,
  replayed: Event | undefined,
  field: string,
): Divergence {
  return {
    nodeId,
    index,
    time: (recorded ?? replayed)?.timestamp,
    recorded,
    replayed,
    field: field === '' ? undefined : field,
  };
}
