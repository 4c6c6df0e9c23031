// Web Worker entry that builds a recording's decoded-events cache (recording/eventCache.ts), spawned
// by a replay source worker when the recording has no complete cache: the first replay reads
// frames as always while this decodes every line once beside it; later replays read the cache.
// Posted `{ dbName?, recordingId }`, it answers the `IndexResult` and closes.
import { indexRecordingEvents } from '../../recording/eventCache.ts';
import { openStudioDb } from '../../storage/db.ts';

self.addEventListener('message', (e: MessageEvent) => {
  const { dbName, recordingId } = e.data as { dbName?: string; recordingId: string };
  void (async () => {
    try {
      const db = await openStudioDb(dbName);
      const result = await indexRecordingEvents(db, recordingId);
      db.close();
      self.postMessage(result);
    } catch (err) {
      self.postMessage({ done: false, reason: (err as Error).message });
    }
    self.close();
  })();
});
