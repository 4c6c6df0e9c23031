import type { Studio } from './studio.ts';

/**
 * Whether this page wants the test API: always under the Vite dev server, otherwise only when a
 * test driver set `window.__studioTestApi` before the page's scripts ran (the Playwright fixture
 * does, with an init script). The e2e suite runs against the production build (`vite preview`),
 * the same bundle users get, so the switch is a runtime opt-in, not a build flag: a plain
 * `vite build` serves the benches, the e2e and users alike, and nobody's page exposes the API
 * unless asked. It only reads state and drives replay controls the user already has.
 */
export function testApiRequested(): boolean {
  return import.meta.env.DEV || globalThis.window?.__studioTestApi === true;
}

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
