import type { Stream } from '../stream/Stream.ts';

/**
 * The state of a graph: every stateful operator's state, in a deterministic walk order (depth
 * first from the sources, following downstream links in attachment order). Two graphs built from
 * the same features walk identically, so a snapshot restores into a fresh graph.
 */
export interface GraphSnapshot {
  readonly version: 1;
  /** Operator kinds in walk order: checked on restore so a mismatched graph fails loudly. */
  readonly kinds: readonly string[];
  readonly states: readonly unknown[];
}

function walkStateful(roots: readonly Stream<unknown>[]): Stream<unknown>[] {
  const seen = new Set<Stream<unknown>>();
  const out: Stream<unknown>[] = [];
  const visit = (s: Stream<unknown>): void => {
    if (seen.has(s)) return;
    seen.add(s);
    if (s.stateful) out.push(s);
    for (const d of s.downstreams) visit(d);
  };
  roots.forEach(visit);
  return out;
}

export function collectStateful(roots: readonly Stream<unknown>[]): GraphSnapshot {
  return snapshotOps(walkStateful(roots));
}

export function restoreStateful(roots: readonly Stream<unknown>[], snap: GraphSnapshot): void {
  const ops = walkStateful(roots);
  const kinds = ops.map((o) => o.kind).join(',');
  if (snap.version !== 1 || kinds !== snap.kinds.join(',')) {
    throw new Error(
      `snapshot does not fit this graph: expected operators [${kinds}], got [${snap.kinds.join(',')}]`,
    );
  }
  const states = structuredClone(snap.states);
  ops.forEach((o, i) => o.setState(states[i]));
}

/** The state of an explicit operator list (one feature's operators, in wiring order). */
export function snapshotOps(ops: readonly Stream<unknown>[]): GraphSnapshot {
  // Deep copies: operators mutate their state in place as events arrive — except a fresh state
  // (a copy made for the call, e.g. a sliding window's), which would only be copied twice.
  return {
    version: 1,
    kinds: ops.map((o) => o.kind),
    states: ops.map((o) => (o.freshState ? o.getState() : structuredClone(o.getState()))),
  };
}

/** Restore {@link snapshotOps} into the same operator list of another graph; checks the kinds. */
export function restoreOps(ops: readonly Stream<unknown>[], snap: GraphSnapshot): void {
  const kinds = ops.map((o) => o.kind).join(',');
  if (snap.version !== 1 || kinds !== snap.kinds.join(',')) {
    throw new Error(
      `feature snapshot does not fit: expected operators [${kinds}], got [${snap.kinds.join(',')}]`,
    );
  }
  const states = structuredClone(snap.states);
  ops.forEach((o, i) => o.setState(states[i]));
}
