import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import { ReplayEngine } from './ReplayEngine.ts';

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

/**
 * Replay `lines` through `doc` (the runnable part, as live ran it) and diff every node's outputs
 * against `recorded` (the recording's output lines `{"node","event"}`, in live emission order).
 * Walks the recorded outputs in order, so the divergence reported is the earliest one live; then
 * any node that replays more events than were recorded. `tolerance` is an absolute difference
 * allowed on numbers (default 0: exact).
 */
export function compareOutputs(
  doc: PipelineDoc,
  lines: readonly string[],
  recorded: readonly string[],
  options: { tolerance?: number; recordedComplete?: boolean; statelessDecoder?: boolean } = {},
): CompareResult {
  const tol = options.tolerance ?? 0;
  const replayed = new Map<string, Event[]>();
  const engine = new ReplayEngine(
    doc,
    lines,
    (nodeId, raw) => {
      // Recorded outputs went through JSON (NaN → null, -0 → 0): compare like with like.
      const e = JSON.parse(JSON.stringify(raw)) as Event;
      const list = replayed.get(nodeId);
      if (list) list.push(e);
      else replayed.set(nodeId, [e]);
    },
    options.statelessDecoder ?? false,
  );
  engine.runTo(lines.length);
  const seen = new Map<string, number>();
  let compared = 0;
  for (const text of recorded) {
    const { node, event } = JSON.parse(text) as { node: string; event: Event };
    const i = seen.get(node) ?? 0;
    seen.set(node, i + 1);
    compared++;
    const mine = replayed.get(node)?.[i];
    const field = mine === undefined ? '' : diffPath(event, mine, tol, '');
    if (field !== undefined) return result(compared, seen.size, node, i, event, mine, field);
  }
  // Output recording may have ended early (the pipeline was edited): extra events are fine then.
  if (options.recordedComplete !== false) {
    for (const [node, list] of replayed) {
      const i = seen.get(node) ?? 0;
      if (list.length > i) return result(compared, seen.size, node, i, undefined, list[i], '');
    }
  }
  return { compared, nodes: seen.size, divergence: undefined };
}

function result(
  compared: number,
  nodes: number,
  nodeId: string,
  index: number,
  recorded: Event | undefined,
  replayed: Event | undefined,
  field: string,
): CompareResult {
  return {
    compared,
    nodes,
    divergence: {
      nodeId,
      index,
      time: (recorded ?? replayed)?.timestamp,
      recorded,
      replayed,
      field: field === '' ? undefined : field,
    },
  };
}

/** The first path where `a` and `b` differ (numbers within `tol`), or undefined when equal. */
export function diffPath(a: unknown, b: unknown, tol: number, path: string): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined;
    return Math.abs(a - b) <= tol ? undefined : path;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = diffPath(a[i], b[i], tol, `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = diffPath(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        tol,
        path ? `${path}.${k}` : k,
      );
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return a === b ? undefined : path;
}
