/**
 * A copy of an adapter's whole protocol state (books, sequence numbers, buffered diffs, pending
 * requests). Opaque: only the adapter that took it can restore it. Not serializable (it may hold
 * class instances such as `LevelBook`); it lives in memory as a replay checkpoint.
 */
export type AdapterSnapshot = { readonly __adapterSnapshot: true };

/** Where an adapter keeps its mutable state: Maps, Sets and plain records of scalars. */
type StatePart = Map<unknown, unknown> | Set<unknown> | Record<string, unknown>;

/**
 * Snapshot and restore for an adapter whose state lives in `parts` (the Maps and records its
 * closures use). The parts are restored in place, so the closures keep their references.
 */
export function adapterState(parts: Record<string, StatePart>): {
  snapshot(): AdapterSnapshot;
  restore(state: AdapterSnapshot): void;
} {
  return {
    snapshot: () => cloneState(parts) as unknown as AdapterSnapshot,
    restore(state) {
      const saved = cloneState(state) as unknown as Record<string, StatePart>;
      for (const [name, part] of Object.entries(parts)) {
        const from = saved[name];
        if (from === undefined) throw new Error(`adapter snapshot lacks "${name}"`);
        if (part instanceof Map) {
          part.clear();
          for (const [k, v] of from as Map<unknown, unknown>) part.set(k, v);
        } else if (part instanceof Set) {
          part.clear();
          for (const v of from as Set<unknown>) part.add(v);
        } else Object.assign(part, from);
      }
    },
  };
}

/**
 * A deep copy that keeps prototypes (class instances stay instances), Maps, Sets, arrays and typed
 * arrays; functions are shared (adapters keep only pure helpers in their state). State trees have
 * no cycles.
 */
export function cloneState<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneState) as T;
  if (v instanceof Map) {
    const m = new Map();
    for (const [k, x] of v) m.set(k, cloneState(x));
    return m as T;
  }
  if (v instanceof Set) return new Set([...v].map(cloneState)) as T;
  if (ArrayBuffer.isView(v)) return (v as unknown as Uint8Array).slice() as unknown as T;
  const out = Object.create(Object.getPrototypeOf(v) as object) as Record<string, unknown>;
  for (const k of Object.keys(v)) out[k] = cloneState((v as Record<string, unknown>)[k]);
  return out as T;
}
