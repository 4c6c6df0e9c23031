import { createStore } from 'zustand/vanilla';
import { idleReplay, type ReplayState } from '../../session/replayState.ts';

export {
  idleReplay,
  type ReplaySpeed,
  type ReplayState,
  SPEEDS,
} from '../../session/replayState.ts';

/**
 * The active replay (one per page), or `idleReplay` fields with no controller. The session's
 * ReplayController publishes into it (it is the controller's ReplayStatePort).
 */
export const replayStore = createStore<ReplayState>()(() => idleReplay);
