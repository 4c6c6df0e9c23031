import type { PortLike } from '../runtime/ports.ts';
import { releaseApi, wrapApi } from '../runtime/rpc.ts';
import type { ImportResult } from './importText.ts';
import type { ImportWorkerApi } from './importWorker.ts';

/**
 * {@link importText} in a dedicated worker (one per import): only the text and the result cross
 * threads, and the page keeps drawing while a large file is parsed and validated. Where workers
 * are unavailable (unit tests) it runs here, after yielding once.
 */
export async function importTextOffThread(
  text: string,
  fallbackName: string,
): Promise<ImportResult> {
  if (typeof Worker === 'undefined') {
    // Only here (no workers: unit tests) does the page itself load the parser (YAML included).
    const { importText } = await import('./importText.ts');
    return importText(text, fallbackName);
  }
  const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' });
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'import check failed'))),
  );
  const api = wrapApi<ImportWorkerApi>(worker as unknown as PortLike);
  try {
    return await Promise.race([api.importText(text, fallbackName), failed]);
  } finally {
    releaseApi(api);
    worker.terminate();
  }
}
