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
import type { IndexResult } from '../../recording/eventCache.ts';
import type { IndexWorkerMessage } from './browserIndexWorker.ts';
import { IdleIndexing, type IndexerControl } from './indexGate.ts';
import { type IdbInputOptions, replayInput } from './replayInput.ts';

/** Recordings this worker indexes, started or waiting for the replay to go idle. */
const indexing = new Map<string, IdleIndexing>();

/**
 * The first source worker of a replay of a recording without a complete decoded-events cache
 * indexes it in an indexing worker (browserIndexWorker), only while the replay reads nothing
 * (paused, ended: `IdleIndexing`): this replay reads frames, later ones the cache. Another tab or
 * worker indexing it too writes the same entries (harmless).
 */
const input: ReplayInputFactory = (sources, options, share, elsewhere) =>
  replayInput(sources, options, share, elsewhere, (o) => {
    if ((share?.rank ?? 0) !== 0) return undefined;
    let idle = indexing.get(o.recordingId);
    if (!idle) {
      idle = new IdleIndexing(() => startIndexing(o));
      indexing.set(o.recordingId, idle);
    }
    const gate = idle;
    return () => gate.reading();
  });

function startIndexing(o: IdbInputOptions): IndexerControl {
  const worker = new Worker(new URL('./browserIndexWorker.ts', import.meta.url), {
    type: 'module',
  });
  const post = (m: IndexWorkerMessage) => worker.postMessage(m);
  const ended = (done: boolean) => {
    indexing.get(o.recordingId)?.finish();
    // Not indexed (a bad line, a growing recording): a later replay may try again.
    if (!done) indexing.delete(o.recordingId);
    worker.terminate();
  };
  worker.addEventListener('message', (e: MessageEvent) => ended((e.data as IndexResult).done));
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    ended(false);
  });
  post({ t: 'start', dbName: o.dbName, recordingId: o.recordingId });
  return { pause: () => post({ t: 'pause' }), resume: () => post({ t: 'resume' }) };
}

// Recording runs: each worker sends its lines and outputs to the recorder worker (RecordingFeed),
// on a port the main thread posts it first (RecorderClient.connectWorker). Comlink ignores it.
self.addEventListener('message', (e: MessageEvent) => void adoptRecorderPort(e.data));
const host = streamWorkerHost(
  new StreamWorker(workerEmitters, recordingTap),
  new ReplayStreamWorker(input),
);
exposeWorker(host, self as unknown as PortLike);
