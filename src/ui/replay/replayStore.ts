import { createStore, type StoreApi } from 'zustand/vanilla';
import { idleReplay, type ReplayState } from '../../session/replayState.ts';

export {
  idleReplay,
  type ReplaySpeed,
  type ReplayState,
  SPEEDS,
} from '../../session/replayState.ts';

/** The studio's replay store: the session's ReplayController publishes into it (its ReplayStatePort). */
export type ReplayStore = StoreApi<ReplayState>;

/**
 * The active replay (one per studio), or `idleReplay` fields with no controller. Made by
 * `createStudio()`, never on import.
 */
export function createReplayStore(): ReplayStore {
  return createStore<ReplayState>()(() => idleReplay);
}

/**
 * What an open replay is doing, for status labels: playing, paused, or ended (paused at its end,
 * not following a recording that grows). Undefined when no replay is open.
 */
export function replayPlayback(s: ReplayState): 'playing' | 'paused' | 'ended' | undefined {
  if (!s.controller) return undefined;
  if (s.playing) return 'playing';
  return s.position >= s.total && !s.followLive ? 'ended' : 'paused';
}

/**
 * The replay panel's note when the decoded-events cache was set aside for some chunks (their
 * entries missing or bad: those chunks were read from frames, so nothing is lost, only speed);
 * undefined when no chunk was.
 */
export function cacheNote(s: Pick<ReplayState, 'cacheFallbacks'>): string | undefined {
  const n = s.cacheFallbacks ?? 0;
  if (!(n > 0)) return undefined;
  return `decoded cache: ${n.toLocaleString('en-US')} chunk${n === 1 ? '' : 's'} read from frames`;
}

/**
 * The run's state as the top bar and the pipeline summary say it: a running replay says what it
 * does ("replay · ended"), so nothing claims "running" over a replay that has reached its end.
 */
export function runStateLabel(state: string, playback: ReturnType<typeof replayPlayback>): string {
  return state === 'running' && playback !== undefined ? `replay · ${playback}` : state;
}
