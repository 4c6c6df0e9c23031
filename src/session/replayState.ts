import type { MovedSource } from './liveFeeds.ts';
import type { MergedNode } from './mergedNodes.ts';

/** Replay speed: a factor of recorded time, or as fast as possible. */
export type ReplaySpeed = number | 'max';

/** The speeds the timeline offers (0.1× to 100×, and as fast as possible). */
export const SPEEDS: readonly ReplaySpeed[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 100, 'max'];

/**
 * Play/pause/seek/speed/step/loop over a recorded source: what the timeline, the test API and
 * `Session.playback` may do with the open replay. `ReplayController` implements it; declared here
 * so the published state does not name the controller's module (no import circle).
 */
export interface Playback {
  play(): void;
  pause(): void;
  toggle(): void;
  setSpeed(speed: ReplaySpeed): void;
  seekTime(t: number): void;
  seekLine(line: number): void;
  /** Resolves once the last seek has landed. */
  finishSeek(): Promise<void>;
  step(dir: 1 | -1): Promise<void>;
  /**
   * Set the loop range (epoch seconds; undefined clears it and stops looping). `looping` turns
   * looping on or off; omitted, looping stays as it was (selecting a range never toggles it).
   */
  setLoop(loop: { from: number; to: number } | undefined, looping?: boolean): void;
  setFollowLive(followLive: boolean): void;
  /** Plays as fast as possible to the end (headless sessions). */
  playToEnd(): Promise<void>;
  /**
   * Digest of the outputs delivered while playing from line {@link digestFrom} (tests): node by
   * node (`OutputDigest`), so the in-thread and the worker replays agree; assigning resets it.
   */
  digest: number;
  /** The line the digest starts at; Infinity (the default) takes none. */
  digestFrom: number;
  /** Crash replay worker `index` with an uncaught error (tests of recovery; worker replays). */
  fault?(index: number): void;
}

/** What the timeline shows; updated by the controller at most once per tick. */
export interface ReplayState {
  readonly controller: Playback | undefined;
  readonly recordingId: string;
  readonly name: string;
  /** Recorded time span, epoch seconds. */
  readonly start: number;
  readonly end: number;
  /** Playhead: receipt time of the last processed line (start before any). */
  readonly t: number;
  /** Lines processed / available. */
  readonly position: number;
  readonly total: number;
  readonly playing: boolean;
  readonly speed: ReplaySpeed;
  /** Loop range (epoch seconds) and whether looping is on. */
  readonly loop: { readonly from: number; readonly to: number } | undefined;
  readonly looping: boolean;
  /** The recording is still being written: follow its end as it grows. */
  readonly recording: boolean;
  readonly followLive: boolean;
  /** A long seek or load in progress. */
  readonly busy: { readonly label: string; readonly fraction: number } | undefined;
  /** The workers a worker replay runs on (absent in this thread), with their restarts. */
  readonly workers?: readonly ReplayWorkerView[];
  /**
   * Chunk reads of a worker replay that set the recording's decoded-events cache aside (an
   * entry missing or bad: the chunk's frames were read, nothing lost), the most of any source
   * worker; undefined or 0 when none did.
   */
  readonly cacheFallbacks?: number;
  /**
   * Receipt-time ranges the replay holds in memory, flat `[from, to, …]` (every reading worker
   * holds them): playing or seeking there reads nothing from storage. Undefined: not known.
   */
  readonly memory?: readonly number[];
  /**
   * Sources a worker replay runs on their feed's worker against their placement (one feed, one
   * worker: as live), for the canvas's notes; absent in this thread.
   */
  readonly moved?: readonly MovedSource[];
  /** Nodes a worker replay runs as an identical node's feature against their `worker` field. */
  readonly merged?: readonly MergedNode[];
}

/** One replay worker as the studio's Workers tab lists it. */
export interface ReplayWorkerView {
  readonly index: number;
  readonly nodeIds: readonly string[];
  readonly restarts: number;
  /** Why the replay gave this worker up (it crashed too often): the replay stopped. */
  readonly failed?: string;
}

export const idleReplay: ReplayState = {
  controller: undefined,
  recordingId: '',
  name: '',
  start: 0,
  end: 0,
  t: 0,
  position: 0,
  total: 0,
  playing: false,
  speed: 1,
  loop: undefined,
  looping: false,
  recording: false,
  followLive: false,
  busy: undefined,
};

/** What a recording being opened for replay is (both controllers open one the same way). */
export interface OpenedRecording {
  readonly recordingId: string;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly total: number;
  readonly recording?: boolean;
}

/**
 * The state a controller publishes when it opens a recording: playhead at its start, paused, no
 * loop; the speed is left as the user set it.
 */
export function openedReplay(controller: Playback, o: OpenedRecording): Partial<ReplayState> {
  return {
    controller,
    recordingId: o.recordingId,
    name: o.name,
    start: o.start,
    end: o.end,
    t: o.start,
    position: 0,
    total: o.total,
    playing: false,
    loop: undefined,
    looping: false,
    recording: o.recording ?? false,
    followLive: false,
    busy: undefined,
    workers: undefined,
    cacheFallbacks: undefined,
    memory: undefined,
    moved: undefined,
    merged: undefined,
  };
}

/**
 * Where a replay publishes its state, tick by tick. The studio's zustand `replayStore` satisfies it
 * structurally (the timeline binds to that store); {@link replayStatePort} is a plain one for
 * headless sessions. The session layer never imports the UI: the UI hands its store in.
 */
export interface ReplayStatePort {
  getState(): ReplayState;
  setState(patch: Partial<ReplayState>): void;
}

/** A {@link ReplayStatePort} with listeners, for headless sessions (Node, tests). */
export interface ReplayStateSubject extends ReplayStatePort {
  /** Called after every change; returns the unsubscribe. */
  subscribe(listener: (state: ReplayState) => void): () => void;
}

export function replayStatePort(initial: ReplayState = idleReplay): ReplayStateSubject {
  let state = initial;
  const listeners = new Set<(s: ReplayState) => void>();
  return {
    getState: () => state,
    setState: (patch) => {
      state = { ...state, ...patch };
      for (const l of listeners) l(state);
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
