// The feature editor's compile worker: compiles the code being typed and runs it over the test
// bench's events. User code runs here or in pipeline workers, never on the page's main thread.
import { exposeApi } from '../runtime/rpc.ts';
import { openStudioDb } from '../storage/db.ts';
import { benchDefinition, recordingEvents, sampleEvents } from './userBench.ts';

/** What the page calls on the worker (through `runtime/rpc.ts`). */
export interface CompileWorkerApi {
  bench: typeof benchDefinition;
  sampleEvents: typeof sampleEvents;
  /** The last `n` events of the newest recording (undefined: no recording). */
  recordingEvents(n: number): Promise<{ name: string; text: string } | undefined>;
}

const api: CompileWorkerApi = {
  bench: benchDefinition,
  sampleEvents,
  async recordingEvents(n) {
    const db = await openStudioDb();
    try {
      return await recordingEvents(db, n);
    } finally {
      db.close();
    }
  },
};

exposeApi(api, self as unknown as Parameters<typeof exposeApi>[1]);
