import { releaseApi, remoteCallback, wrapApi } from '../runtime/rpc.ts';
import type { PortLike } from '../runtime/ports.ts';
import type { BatchFormat } from '../core/batch/BatchRunner.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { CompareResult } from './compare.ts';
import type { CompareRequest } from './compareRecording.ts';
import type { CompareWorkerApi } from './compareWorker.ts';

/**
 * Run Compare in a dedicated worker (`compareWorker.ts`), which reads the recording from
 * IndexedDB itself: nothing but the request, progress and the result crosses threads. The worker
 * lives for one compare.
 */
export async function compareInWorker(
  req: CompareRequest,
  onProgress: (fraction: number) => void,
): Promise<CompareResult> {
  const worker = new Worker(new URL('./compareWorker.ts', import.meta.url), { type: 'module' });
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) =>
      reject(new Error(e.message || 'compare worker failed')),
    ),
  );
  const api = wrapApi<CompareWorkerApi>(worker as unknown as PortLike);
  try {
    return await Promise.race([api.compare(req, remoteCallback(onProgress)), failed]);
  } finally {
    releaseApi(api);
    worker.terminate();
  }
}

/**
 * A recording's outputs computed in the compare worker: for pipelines with user definitions
 * (embedded in `doc`), whose code must not run on the page's main thread.
 */
export async function outputsInWorker(
  recordingId: string,
  doc: PipelineDoc,
  format: BatchFormat,
): Promise<string> {
  const worker = new Worker(new URL('./compareWorker.ts', import.meta.url), { type: 'module' });
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'export worker failed'))),
  );
  const api = wrapApi<CompareWorkerApi>(worker as unknown as PortLike);
  try {
    return await Promise.race([api.outputs(recordingId, doc, format), failed]);
  } finally {
    releaseApi(api);
    worker.terminate();
  }
}
