// The Compare worker: replays a recording and diffs it against its recorded outputs off the main
// thread (a long recording would otherwise freeze the page), streaming chunks from IndexedDB.
import { registerDefinition } from '../core/definitions/registry.ts';
import { compileDefinitionOrThrow } from '../core/userdef/compileDefinition.ts';
import { exposeApi } from '../runtime/rpc.ts';
import { openStudioDb } from '../storage/db.ts';
import type { BatchFormat } from '../core/batch/BatchRunner.ts';
import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import type { CompareResult } from './compare.ts';
import type { CompareRequest } from './compareRecording.ts';
import { Session } from './Session.ts';

/** What the page calls on the worker (through `runtime/rpc.ts`). */
export interface CompareWorkerApi {
  compare(
    req: CompareRequest & { readonly dbName?: string },
    onProgress: (fraction: number) => void,
  ): Promise<CompareResult>;
  /** A recording's outputs as CSV/NDJSON (`Session.outputs`), for pipelines with user code. */
  outputs(
    recordingId: string,
    doc: PipelineDoc,
    format: BatchFormat,
    dbName?: string,
  ): Promise<string>;
}

/**
 * The user definitions the pipeline ran (embedded by the page): compiled here, in this worker,
 * so the replay computes them as the pipeline workers did (never on the page's main thread).
 */
function registerEmbedded(doc: PipelineDoc): void {
  for (const d of doc.definitions ?? []) {
    registerDefinition(compileDefinitionOrThrow(d.source, {}, d.name));
  }
}

const api: CompareWorkerApi = {
  async compare(req, onProgress) {
    registerEmbedded(req.doc);
    const db = await openStudioDb(req.dbName);
    try {
      // Through the one Session seam (its `compare` capability), as the CLI and tests reach it.
      const session = new Session({
        doc: req.doc,
        source: { kind: 'recording', recordingId: req.recordingId },
        db: () => Promise.resolve(db),
      });
      return await session.compare(req.tolerance, onProgress);
    } finally {
      db.close();
    }
  },
  async outputs(recordingId, doc, format, dbName) {
    registerEmbedded(doc);
    const db = await openStudioDb(dbName);
    try {
      const session = new Session({
        doc,
        source: { kind: 'recording', recordingId },
        db: () => Promise.resolve(db),
      });
      return await session.outputs(format);
    } finally {
      db.close();
    }
  },
};

exposeApi(api, self as unknown as Parameters<typeof exposeApi>[1]);
