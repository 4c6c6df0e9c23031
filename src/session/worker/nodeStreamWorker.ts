// Node worker_threads entry of a stream worker: the runtime's StreamWorker with real emitters.
import { parentPort } from 'node:worker_threads';
import type { PortLike } from '../../runtime/ports.ts';
import { exposeWorker } from '../../runtime/rpc.ts';
import { StreamWorker } from '../../runtime/StreamWorker.ts';
import { workerEmitters } from '../../sources/worker/emitters.ts';
import { recordingTap } from '../../recording/RecordingFeed.ts';

if (!parentPort) throw new Error('nodeStreamWorker must run in a worker thread');
exposeWorker(new StreamWorker(workerEmitters, recordingTap), parentPort as unknown as PortLike);
