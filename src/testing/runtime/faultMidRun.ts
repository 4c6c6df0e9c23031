import type { RunWorkersOptions } from '../../runtime/runWorkers.ts';

/** What {@link faultMidRun} gives a `runWorkers` call, and what it saw. */
export interface MidRunFault {
  /** Spread into the run's options: fast checkpoints and heartbeats, telemetry, the fault. */
  readonly options: Pick<RunWorkersOptions, 'manager' | 'onStarted'>;
  /** Telemetry event kinds seen (`failure`, `recovered`, …). */
  readonly events: string[];
  /** Whether the fault was injected. */
  faulted(): boolean;
}

/**
 * Inject `kind` into worker `index` once more than a third of `totalLines` has been fed, with
 * checkpoints every 20 ms so the restore has one to start from: the worker tests' "killed mid-run
 * and restored, output unchanged" case.
 */
export function faultMidRun(
  index: number,
  kind: 'terminate' | 'throw' | 'hang' | 'slow',
  totalLines: number,
): MidRunFault {
  const events: string[] = [];
  let faulted = false;
  return {
    events,
    faulted: () => faulted,
    options: {
      manager: {
        checkpointMs: 20,
        heartbeatMs: 400,
        onTelemetry: (t) => t.events.forEach((e) => events.push(e.kind)),
        telemetryMs: 100,
      },
      onStarted: (m, fed) => {
        const timer = setInterval(() => {
          if (!faulted && fed() > totalLines / 3) {
            faulted = true;
            clearInterval(timer);
            void m.injectFault(index, kind);
          }
        }, 1);
      },
    },
  };
}
