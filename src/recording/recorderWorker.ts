// Web Worker entry of a recording's recorder (WorkerRecorder): spawn it with
// `new Worker(new URL('./recorderWorker.ts', import.meta.url), { type: 'module' })` and drive it
// with RecorderCommand messages (see RecorderClient). Stream workers reach it on a BroadcastChannel.
import { openStudioDb } from '../storage/db.ts';
import type { RecorderCommand } from './recordingProtocol.ts';
import { WorkerRecorder } from './WorkerRecorder.ts';

const recorder = new WorkerRecorder(
  () => openStudioDb(),
  (channel, onMessage) => {
    const bc = new BroadcastChannel(channel);
    bc.onmessage = (e) => onMessage(e.data);
    return () => bc.close();
  },
  (e) => self.postMessage(e),
);
// Commands run one at a time, in order (open must finish before anything else).
let chain = Promise.resolve();
self.onmessage = (e: MessageEvent<RecorderCommand>) => {
  chain = chain.then(() => recorder.command(e.data));
};
