import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CompareResult } from '../../session/compare.ts';

/** The last Compare, shown on the canvas until dismissed. */
export interface CompareState {
  readonly result: (CompareResult & { recordingId: string; tolerance: number }) | undefined;
  readonly busy: boolean;
  /** Fraction of the recording compared so far, while busy. */
  readonly progress?: number;
}

/** Import progress (0..1) or the last import error, for the library's drop zone. */
export interface ImportState {
  readonly progress: number | undefined;
  readonly error: string | undefined;
}

/** The Recordings tab's stores (one set per studio). */
export interface RecordingUi {
  readonly compareStore: StoreApi<CompareState>;
  readonly importStore: StoreApi<ImportState>;
}

/** Fresh Compare and import stores. */
export function createRecordingUi(): RecordingUi {
  return {
    compareStore: createStore<CompareState>()(() => ({ result: undefined, busy: false })),
    importStore: createStore<ImportState>()(() => ({ progress: undefined, error: undefined })),
  };
}
