// Node adapter: worker_threads behind the runtime's platform-free WorkerHandle/PortLike shapes.
// Only Node code (the CLI, tests, benches) imports this file; the browser build never sees it.
import { MessageChannel, Worker } from 'node:worker_threads';
import { inThreadWorker } from '../inThreadWorker.ts';
import type { PortLike, RuntimePlatform, WorkerHandle } from '../ports.ts';
import type { ThreadCpu } from './threadCpu.ts';

/** Wrap a worker_threads Worker (an EventEmitter) as a WorkerHandle with an EventTarget endpoint. */
export function nodeWorkerHandle(worker: Worker, onTerminate?: () => void): WorkerHandle {
  const wrapped = new Map<unknown, (data: unknown) => void>();
  const endpoint: PortLike = {
    postMessage: (m, transfer) => worker.postMessage(m, transfer as never),
    addEventListener: (_type, fn) => {
      const h = (data: unknown): void => fn({ data });
      wrapped.set(fn, h);
      worker.on('message', h);
    },
    removeEventListener: (_type, fn) => {
      const h = wrapped.get(fn);
      if (h) worker.off('message', h);
      wrapped.delete(fn);
    },
  };
  let failed = false;
  let terminating = false;
  const listeners: ((reason: string) => void)[] = [];
  const fail = (reason: string): void => {
    if (failed) return;
    failed = true;
    listeners.forEach((l) => l(reason));
  };
  worker.on('error', (e) => fail(`uncaught error: ${(e as Error).message}`));
  worker.on('exit', (code) => fail(terminating ? 'terminated' : `exited with code ${code}`));
  return {
    endpoint,
    terminate: () => {
      if (!terminating) onTerminate?.();
      terminating = true;
      void worker.terminate();
    },
    onFailure: (l) => listeners.push(l),
  };
}

/**
 * worker_threads as a RuntimePlatform. `entry` is the worker entry module (for example
 * `src/session/worker/nodeStreamWorker.ts`); TypeScript entries run through tsx's loader.
 * `cpu`: account each worker thread's CPU time (see {@link ThreadCpu}). `inThread(index)`: serve
 * that worker on this thread instead ({@link inThreadWorker}: no isolate of its own).
 */
export function nodePlatform(
  entry: URL,
  cpu?: ThreadCpu,
  inThread?: (index: number) => boolean,
): RuntimePlatform {
  const channel = (): { port1: PortLike; port2: PortLike } =>
    new MessageChannel() as unknown as { port1: PortLike; port2: PortLike };
  // `--import tsx` in a worker's execArgv does not reach its loader on Node 20, so a TypeScript
  // entry is loaded by a tiny bootstrap that registers tsx's ESM hooks in the worker first. An
  // eval'd worker resolves bare specifiers from the process's working directory, not from this
  // file: outside the repository `import('tsx/esm/api')` failed and the run exited 13 with no
  // message. The bootstrap therefore imports tsx by the absolute URL resolved here.
  const boot = entry.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`
    : undefined;
  return {
    spawn: (index) => {
      if (inThread?.(index)) {
        cpu?.inMain(index);
        return inThreadWorker(channel);
      }
      const make = (): Worker =>
        boot !== undefined
          ? new Worker(boot, { eval: true, name: `stream-worker-${index}` })
          : new Worker(entry, { name: `stream-worker-${index}` });
      const worker = cpu ? cpu.spawned(index, make) : make();
      return nodeWorkerHandle(worker, cpu && (() => cpu.ending(index)));
    },
    channel,
    now: () => Date.now(),
  };
}
