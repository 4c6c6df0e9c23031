import type { PortLike } from '../runtime/ports.ts';
import { type RemoteApi, releaseApi, wrapApi } from '../runtime/rpc.ts';
import type { BenchResult } from './userBench.ts';
import type { CompileWorkerApi } from './compileWorker.ts';

/**
 * The watchdog: a bench that has not answered after this long is stopped (the worker is
 * terminated and replaced). The loop budget stops loops deterministically; this catches what it
 * cannot count (a catastrophic regular expression, a huge allocation).
 */
export const BENCH_WATCHDOG_MS = 5000;

/** One compile worker for an open editor; `close()` terminates it. */
export class CompileClient {
  private worker: Worker | undefined;
  private api: RemoteApi<CompileWorkerApi> | undefined;

  private ensure(): RemoteApi<CompileWorkerApi> {
    if (!this.api) {
      this.worker = new Worker(new URL('./compileWorker.ts', import.meta.url), { type: 'module' });
      this.api = wrapApi<CompileWorkerApi>(this.worker as unknown as PortLike);
    }
    return this.api;
  }

  /** Compile `source` and run it over `input`; a bench stuck past the watchdog is stopped. */
  async bench(source: string, input: string): Promise<BenchResult> {
    const api = this.ensure();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watchdog = new Promise<BenchResult>((resolve) => {
      timer = setTimeout(() => {
        this.close();
        resolve({
          ok: false,
          problems: [
            {
              line: 1,
              pos: 0,
              message: `stopped: the test bench ran over ${BENCH_WATCHDOG_MS / 1000} s (the worker was restarted)`,
            },
          ],
        });
      }, BENCH_WATCHDOG_MS);
    });
    try {
      return await Promise.race([api.bench(source, input), watchdog]);
    } finally {
      clearTimeout(timer);
    }
  }

  sampleEvents(n: number): Promise<string> {
    return this.ensure().sampleEvents(n);
  }

  recordingEvents(n: number): Promise<{ name: string; text: string } | undefined> {
    return this.ensure().recordingEvents(n);
  }

  close(): void {
    if (this.api) releaseApi(this.api);
    this.worker?.terminate();
    this.api = undefined;
    this.worker = undefined;
  }
}
