// Web Worker entry that builds a recording's decoded-events cache (recording/eventCache.ts),
// started by a replay source worker when the recording has no complete cache and the replay has
// gone idle (indexGate.ts): the first play reads frames with both cores to itself; later replays
// read the cache. Messages: `{ t: 'start', dbName?, recordingId }` (it answers the `IndexResult`
// and closes), `{ t: 'pause' }` (a replay reads again: hold before the next chunk),
// `{ t: 'resume' }`.
import { indexRecordingEvents } from '../../recording/eventCache.ts';
import { openStudioDb } from '../../storage/db.ts';
import { Valve } from './indexGate.ts';

/** Messages the indexing worker takes. */
export type IndexWorkerMessage =
  | { readonly t: 'start'; readonly dbName?: string; readonly recordingId: string }
  | { readonly t: 'pause' }
  | { readonly t: 'resume' };

const valve = new Valve();

self.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as IndexWorkerMessage;
  if (m.t === 'pause') return valve.close();
  if (m.t === 'resume') return valve.open();
  void (async () => {
    try {
      const db = await openStudioDb(m.dbName);
      const result = await indexRecordingEvents(db, m.recordingId, { gate: () => valve.wait() });
      db.close();
      self.postMessage(result);
    } catch (err) {
      self.postMessage({ done: false, reason: (err as Error).message });
    }
    self.close();
  })();
});
