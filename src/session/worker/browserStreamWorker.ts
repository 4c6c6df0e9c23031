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
import { replayInput } from './replayInput.ts';

// Recording runs: each worker sends its lines and outputs to the recorder worker (RecordingFeed),
// on a port the main thread posts it first (RecorderClient.connectWorker). Comlink ignores it.
self.addEventListener('message', (e: MessageEvent) => void adoptRecorderPort(e.data));
const host = streamWorkerHost(
  new StreamWorker(workerEmitters, recordingTap),
  new ReplayStreamWorker(replayInput),
);
exposeWorker(host, self as unknown as PortLike);
