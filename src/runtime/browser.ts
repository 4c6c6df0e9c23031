import type { PortLike, RuntimePlatform, WorkerHandle } from './ports.ts';

/**
 * Web Workers as a RuntimePlatform. The caller makes the worker (the entry that wires real emitters
 * lives in `src/session/worker/`), so this file never names an entry and stays bundler-neutral.
 * A terminated Web Worker fires no event: the manager recovers at once when it terminated the
 * worker itself, and its heartbeat catches the rest (see the runtime's CONTEXT, Liveness).
 */
export function browserPlatform(makeWorker: (index: number) => Worker): RuntimePlatform {
  return {
    spawn: (index): WorkerHandle => {
      const w = makeWorker(index);
      const listeners: ((reason: string) => void)[] = [];
      let failed = false;
      w.addEventListener('error', (e) => {
        e.preventDefault();
        if (failed) return;
        failed = true;
        listeners.forEach((l) => l(`uncaught error: ${e.message}`));
      });
      return {
        endpoint: w as unknown as PortLike,
        terminate: () => w.terminate(),
        onFailure: (l) => listeners.push(l),
      };
    },
    channel: () => new MessageChannel() as unknown as { port1: PortLike; port2: PortLike },
    now: () => Date.now(),
  };
}
