// Web Worker entry of a stream worker: the runtime's StreamWorker with real emitters. Spawn it with
// `new Worker(new URL('./browserStreamWorker.ts', import.meta.url), { type: 'module' })`.
import type { PortLike } from '../../runtime/ports.ts';
import { exposeWorker } from '../../runtime/rpc.ts';
import { StreamWorker } from '../../runtime/StreamWorker.ts';
import { workerEmitters } from '../../sources/worker/emitters.ts';
import { recordingTap } from '../../recording/RecordingFeed.ts';

// Recording runs: each worker sends its lines and outputs to the recorder worker (RecordingFeed).
exposeWorker(new StreamWorker(workerEmitters, recordingTap), self as unknown as PortLike);
