import { InThreadRunner } from './InThreadRunner.ts';
import type { PipelineRunner, RunnerFactory } from './PipelineRunner.ts';
import { activeRunner, tapRuntime } from './runtimeStore.ts';
import { WorkerRunner } from './WorkerRunner.ts';

export interface StudioRunnerOptions {
  /** `workers` (default) or `inthread` (`?runner=inthread`). */
  readonly kind: string | null;
  readonly endpointOverrides: Readonly<Record<string, string>>;
  readonly notify: (text: string, kind: 'info' | 'error') => void;
}

/**
 * The studio's runner: Web Workers by default (worker count from the machine's cores), the
 * in-thread runner on request and for replay/recording runs, which workers do not serve.
 */
export function studioRunnerFactory(o: StudioRunnerOptions): RunnerFactory {
  return (outer) => {
    const sink = tapRuntime(outer, o.notify);
    const inThread = (s = sink): PipelineRunner =>
      new InThreadRunner(s, { endpointOverrides: o.endpointOverrides });
    if (o.kind === 'inthread') return inThread();
    const runner = new WorkerRunner(sink, {
      endpointOverrides: o.endpointOverrides,
      hardwareConcurrency: navigator.hardwareConcurrency || 2,
      fallback: inThread,
    });
    activeRunner.current = runner;
    return runner;
  };
}
