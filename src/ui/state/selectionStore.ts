import { createStore } from 'zustand/vanilla';

/** Selected node and edge ids. Kept apart from the document so selecting never adds history. */
export interface SelectionState {
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
  select(nodes: Iterable<string>, edges?: Iterable<string>): void;
  /** Apply React Flow's per-item select toggles. */
  toggle(kind: 'nodes' | 'edges', id: string, selected: boolean): void;
  clear(): void;
}

export function createSelectionStore() {
  return createStore<SelectionState>()((set, get) => ({
    nodes: new Set(),
    edges: new Set(),
    select(nodes, edges = []) {
      set({ nodes: new Set(nodes), edges: new Set(edges) });
    },
    toggle(kind, id, selected) {
      const cur = get()[kind];
      if (cur.has(id) === selected) return;
      const next = new Set(cur);
      if (selected) next.add(id);
      else next.delete(id);
      set(kind === 'nodes' ? { nodes: next } : { edges: next });
    },
    clear() {
      if (get().nodes.size > 0 || get().edges.size > 0) set({ nodes: new Set(), edges: new Set() });
    },
  }));
}
