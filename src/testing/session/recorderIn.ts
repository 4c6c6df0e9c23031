// The recorder worker's code run in the test's own thread, for live runs on worker_threads.
import { RecorderClient, type RecorderPort } from '../../recording/RecorderClient.ts';
import type { RecorderCommand, RecorderEvent } from '../../recording/recordingProtocol.ts';
import { WorkerRecorder } from '../../recording/WorkerRecorder.ts';
import type { OpenWorkerRecording } from '../../session/recordTap.ts';
import { openStudioDb } from '../../storage/db.ts';

/**
 * A `WorkerRunner` `openRecording` that runs the recorder worker's code in this thread behind the
 * same message protocol (the stream workers are real worker_threads and reach it on a
 * BroadcastChannel, as in the browser), writing to the database `dbName` of this thread.
 * `closed` resolves once the recorder has closed (the client terminates it).
 */
export function recorderIn(dbName: string): { open: OpenWorkerRecording; closed: Promise<void> } {
  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));
  const open: OpenWorkerRecording = (record, doc) => {
    let chain = Promise.resolve();
    const port: RecorderPort = {
      postMessage: (c: RecorderCommand) => void (chain = chain.then(() => rec.command(c))),
      onmessage: null,
      terminate: () => done(),
    };
    const rec = new WorkerRecorder(
      () => openStudioDb(dbName),
      (name, on) => {
        const bc = new BroadcastChannel(name);
        bc.onmessage = (e) => on((e as MessageEvent).data);
        return () => bc.close();
      },
      (e: RecorderEvent) => port.onmessage?.({ data: e }),
    );
    const client = new RecorderClient(port, { ...record, name: 'test', doc });
    return {
      ready: client.ready,
      startRun: (workers, ids) => client.startRun(workers, ids),
      rebuilt: () => client.rebuilt(),
      close: () => client.close().then(() => undefined),
    };
  };
  return { open, closed };
}
