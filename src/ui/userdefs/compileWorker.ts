// The feature editor's compile worker: compiles the code being typed and runs it over the test
// bench's events. User code runs here or in pipeline workers, never on the page's main thread.
import { exposeApi } from '../../runtime/rpc.ts';
import { benchDefinition, sampleEvents } from '../../session/userBench.ts';

/** What the page calls on the worker (through `runtime/rpc.ts`). */
export interface CompileWorkerApi {
  bench: typeof benchDefinition;
  sampleEvents: typeof sampleEvents;
}

const api: CompileWorkerApi = { bench: benchDefinition, sampleEvents };

exposeApi(api, self as unknown as Parameters<typeof exposeApi>[1]);
