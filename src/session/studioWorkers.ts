import { browserPlatform } from '../runtime/browser.ts';
import type { RuntimePlatform } from '../runtime/ports.ts';

/**
 * Web Workers of the studio's stream-worker entry (live runs and replays alike). Browser only:
 * reached when called, never at import (the session layer imports in Node too).
 */
export function studioWorkerPlatform(): RuntimePlatform {
  return browserPlatform(
    () =>
      new Worker(new URL('./worker/browserStreamWorker.ts', import.meta.url), {
        type: 'module',
      }),
  );
}
