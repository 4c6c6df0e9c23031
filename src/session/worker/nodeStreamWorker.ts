// Node worker_threads entry of a stream worker: the runtime's StreamWorker with real emitters, or
// (a `recorded` config) a ReplayStreamWorker reading its recording.
import { parentPort } from 'node:worker_threads';
import type { PortLike } from '../../runtime/ports.ts';
import { ReplayStreamWorker } from '../../runtime/ReplayStreamWorker.ts';
import { exposeWorker } from '../../runtime/rpc.ts';
import { StreamWorker } from '../../runtime/StreamWorker.ts';
import { streamWorkerHost } from '../../runtime/streamWorkerHost.ts';
import { workerEmitters } from '../../sources/worker/emitters.ts';
import { recordingTap } from '../../recording/RecordingFeed.ts';
import { replayInput } from './replayInput.ts';

if (!parentPort) throw new Error('nodeStreamWorker must run in a worker thread');
const host = streamWorkerHost(
  new StreamWorker(workerEmitters, recordingTap),
  new ReplayStreamWorker(replayInput),
);
exposeWorker(host, parentPort as unknown as PortLike);
