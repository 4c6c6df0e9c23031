import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RecordingStatusListener } from '../../session/recordTap.ts';
import {
  closedOf,
  failedOf,
  noCloses,
  savingOf,
  type RecordingCloses,
} from '../../session/recordingCloses.ts';

/**
 * The recording in progress, as the library panel and the top bar show it, and the recordings
 * still saving or whose recorder failed (never opened while saving: `notOpenable`).
 */
export interface RecordingState extends RecordingCloses {
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
    ...noCloses,
  }));
}

/** The runners' recorders report here (the session's listener, implemented by the store). */
export function recordingStatusOf(store: RecordingStore): RecordingStatusListener {
  return {
    started: (id) => store.setState({ active: id, stopped: undefined }),
    stopped: (reason) => store.setState({ stopped: reason }),
    // Saving: no longer recording (■ Stop is done), not yet openable.
    saving: (id, left) =>
      store.setState((s) => ({
        ...savingOf(s, id, left),
        active: s.active === id ? undefined : s.active,
      })),
    closed: (id) =>
      store.setState((s) => ({
        ...closedOf(s, id),
        active: s.active === id ? undefined : s.active,
        closed: s.closed + 1,
      })),
    failed: (id, message) =>
      store.setState((s) => ({
        ...failedOf(s, id, message),
        active: s.active === id ? undefined : s.active,
        closed: s.closed + 1,
      })),
  };
}
