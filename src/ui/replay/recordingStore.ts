import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RecordingStatusListener } from '../../session/recordTap.ts';

/** The recording in progress, as the library panel and the top bar show it. */
export interface RecordingState {
  /** Id of the recording being written, if any. */
  readonly active: string | undefined;
  /** Why the active (or last) recording stopped by itself, e.g. storage full. */
  readonly stopped: string | undefined;
  /** Bumped whenever a recording closes, so the library refreshes. */
  readonly closed: number;
}

export type RecordingStore = StoreApi<RecordingState>;

/** The studio's recording store (made by `createStudio()`, never on import). */
export function createRecordingStore(): RecordingStore {
  return createStore<RecordingState>()(() => ({
    active: undefined,
    stopped: undefined,
    closed: 0,
  }));
}

/** The runners' recorders report here (the session's listener, implemented by the store). */
export function recordingStatusOf(store: RecordingStore): RecordingStatusListener {
  return {
    started: (id) => store.setState({ active: id, stopped: undefined }),
    stopped: (reason) => store.setState({ stopped: reason }),
    closed: () => store.setState((s) => ({ active: undefined, closed: s.closed + 1 })),
  };
}
