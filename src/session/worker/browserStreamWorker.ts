// Web Worker entry of a stream worker: the runtime's StreamWorker with real emitters, or (a
// `recorded` config) a ReplayStreamWorker reading its recording from IndexedDB. Spawn it with
// `new Worker(new URL('./browserStreamWorker.ts', import.meta.url), { type: 'module' })`.
import type { PortLike } from '../../runtime/ports.ts';
import { ReplayStreamWorker } from '../../runtime/ReplayStreamWorker.ts';
import { exposeWorker } from '../../runtime/rpc.ts';
import { StreamWorker } from '../../runtime/StreamWorker.ts';
import { streamWorkerHost } from '../../runtime/streamWorkerHost.ts';
import { workerEmitters } from '../../sources/worker/emitters.ts';
import { adoptRecorderPort, recordingTap } from '../../recording/RecordingFeed.ts';
import type { ReplayInputFactory } from '../../runtime/replayTypes.ts';
import { replayInput } from './replayInput.ts';

/** Recordings this worker has started indexing (a replay restarted here does not start another). */
const indexing = new Set<string>();

/**
 * The first source worker of a replay of a recording without a complete decoded-events cache
 * spawns an indexing worker for it (browserIndexWorker): this replay reads frames, later ones
 * the cache. Another tab or worker indexing it too writes the same entries (harmless).
 */
const input: ReplayInputFactory = (sources, options, share, elsewhere) =>
  replayInput(sources, options, share, elsewhere, (o) => {
    if ((share?.rank ?? 0) !== 0 || indexing.has(o.recordingId)) return;
    indexing.add(o.recordingId);
    const worker = new Worker(new URL('./browserIndexWorker.ts', import.meta.url), {
      type: 'module',
    });
    worker.addEventListener('message', (e: MessageEvent) => {
      const r = e.data as { done: boolean; reason?: string };
      // Not indexed (a bad line, a growing recording): a later replay may try again.
      if (!r.done) indexing.delete(o.recordingId);
      worker.terminate();
    });
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      indexing.delete(o.recordingId);
    });
    worker.postMessage({ dbName: o.dbName, recordingId: o.recordingId });
  });

// Recording runs: each worker sends its lines and outputs to the recorder worker (RecordingFeed),
// on a port the main thread posts it first (RecorderClient.connectWorker). Comlink ignores it.
self.addEventListener('message', (e: MessageEvent) => void adoptRecorderPort(e.data));
const host = streamWorkerHost(
  new StreamWorker(workerEmitters, recordingTap),
  new ReplayStreamWorker(input),
);
exposeWorker(host, self as unknown as PortLike);
