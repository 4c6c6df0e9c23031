// The import checker: parses and validates imported text (YAML parsing alone can take a second
// per MiB) off the main thread, so the page stays responsive while a large import is checked.
import { exposeApi } from '../runtime/rpc.ts';
import { importText } from './importText.ts';

/** What the page calls on the worker (through `runtime/rpc.ts`). */
export interface ImportWorkerApi {
  importText(text: string, fallbackName: string): ReturnType<typeof importText>;
}

const api: ImportWorkerApi = { importText };

exposeApi(api, self as unknown as Parameters<typeof exposeApi>[1]);
