import { createStore } from 'zustand/vanilla';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import {
  applyTransaction,
  invertTransaction,
  mergeTransactions,
  type Transaction,
} from './changes.ts';

/** Undo depth: enough for a session; bounded so a long session does not grow without limit. */
const MAX_HISTORY = 500;

export interface PipelineState {
  /** Id of the stored pipeline being edited. */
  readonly pipelineId: string;
  readonly doc: PipelineDoc;
  /** Applied transactions, oldest first; undo pops the last. */
  readonly past: readonly Transaction[];
  readonly future: readonly Transaction[];
  /** Gesture key of the last transaction: a commit with the same key merges into it. */
  readonly lastKey: string | undefined;
}

export interface PipelineActions {
  /** Apply a transaction as one undo step (merged into the previous one when `key` matches). */
  commit(tx: Transaction, key?: string): void;
  /**
   * Apply without touching history: live drag previews. The gesture's end commits
   * (via {@link PipelineActions.record}) one step from where it started.
   */
  preview(tx: Transaction): void;
  /** Push an already-applied transaction onto history (end of a previewed gesture). */
  record(tx: Transaction): void;
  undo(): void;
  redo(): void;
  /** Open another document: new pipeline id, empty history. */
  load(pipelineId: string, doc: PipelineDoc): void;
}

export type PipelineStore = ReturnType<typeof createPipelineStore>;

/** The document store: the pipeline, and its history as transactions with exact inverses. */
export function createPipelineStore(pipelineId: string, doc: PipelineDoc) {
  return createStore<PipelineState & PipelineActions>()((set, get) => ({
    pipelineId,
    doc,
    past: [],
    future: [],
    lastKey: undefined,
    commit(tx, key) {
      if (tx.length === 0) return;
      const s = get();
      const merge = key !== undefined && key === s.lastKey && s.past.length > 0;
      const past = merge
        ? [...s.past.slice(0, -1), mergeTransactions(s.past[s.past.length - 1]!, tx)]
        : [...s.past, tx].slice(-MAX_HISTORY);
      set({ doc: applyTransaction(s.doc, tx), past, future: [], lastKey: key });
    },
    preview(tx) {
      if (tx.length > 0) set({ doc: applyTransaction(get().doc, tx) });
    },
    record(tx) {
      if (tx.length === 0) return;
      set({ past: [...get().past, tx].slice(-MAX_HISTORY), future: [], lastKey: undefined });
    },
    undo() {
      const { past, future, doc: d } = get();
      const tx = past[past.length - 1];
      if (!tx) return;
      set({
        doc: applyTransaction(d, invertTransaction(tx)),
        past: past.slice(0, -1),
        future: [...future, tx],
        lastKey: undefined,
      });
    },
    redo() {
      const { past, future, doc: d } = get();
      const tx = future[future.length - 1];
      if (!tx) return;
      set({
        doc: applyTransaction(d, tx),
        past: [...past, tx],
        future: future.slice(0, -1),
        lastKey: undefined,
      });
    },
    load(id, next) {
      set({ pipelineId: id, doc: next, past: [], future: [], lastKey: undefined });
    },
  }));
}
