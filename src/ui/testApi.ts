import type { Studio } from './studio.ts';

/** The test API over `studio` (typed in `studioTestApi.d.ts`). */
export function studioTestApi(studio: Studio): StudioTestApi {
  const controller = () => {
    const c = studio.replayStore.getState().controller;
    if (!c) throw new Error('__studio.replay: no replay is open');
    return c;
  };
  return {
    replay: {
      state() {
        const s = studio.replayStore.getState();
        return {
          open: s.controller !== undefined,
          recordingId: s.recordingId,
          position: s.position,
          total: s.total,
          playing: s.playing,
          busy: s.busy !== undefined,
        };
      },
      play: () => controller().play(),
      async seekLine(line) {
        const c = controller();
        c.seekLine(line);
        await c.finishSeek();
      },
      digestFrom(from) {
        const c = controller();
        c.digest = 0x811c9dc5;
        c.digestFrom = from;
      },
      digest: () => controller().digest,
    },
    runState: () => studio.runController.status.getState().status.state,
  };
}

/** Expose {@link studioTestApi} as `window.__studio`. */
export function installTestApi(studio: Studio): void {
  window.__studio = studioTestApi(studio);
}
