// The Compare worker: replays a recording and diffs it against its recorded outputs off the main
// thread (a long recording would otherwise freeze the page), streaming chunks from IndexedDB.
import { exposeApi } from '../runtime/rpc.ts';
import { openStudioDb } from '../storage/db.ts';
import type { CompareResult } from './compare.ts';
import { type CompareRequest, compareRecording } from './compareRecording.ts';

/** What the page calls on the worker (through `runtime/rpc.ts`). */
export interface CompareWorkerApi {
  compare(
    req: CompareRequest & { readonly dbName?: string },
    onProgress: (fraction: number) => void,
  ): Promise<CompareResult>;
}

const api: CompareWorkerApi = {
  async compare(req, onProgress) {
    const db = await openStudioDb(req.dbName);
    try {
      return await compareRecording(db, req, onProgress);
    } finally {
      db.close();
    }
  },
};

exposeApi(api, self as unknown as Parameters<typeof exposeApi>[1]);
