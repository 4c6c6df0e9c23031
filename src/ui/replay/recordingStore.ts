import { createStore } from 'zustand/vanilla';
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

export const recordingStore = createStore<RecordingState>()(() => ({
  active: undefined,
  stopped: undefined,
  closed: 0,
}));

/** The runners' recorders report here (the session's listener, implemented by the store). */
export const recordingStatus: RecordingStatusListener = {
  started: (id) => recordingStore.setState({ active: id, stopped: undefined }),
  stopped: (reason) => recordingStore.setState({ stopped: reason }),
  closed: () => recordingStore.setState((s) => ({ active: undefined, closed: s.closed + 1 })),
};
