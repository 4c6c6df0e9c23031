import { InThreadRunner } from '../../session/InThreadRunner.ts';
import type { PipelineRunner, RunnerFactory } from '../../session/PipelineRunner.ts';
import type { RecordingStatusListener } from '../../session/recordTap.ts';
import { type ActiveRunner, type RuntimeStore, tapRuntime } from './runtimeStore.ts';
import { WorkerRunner } from '../../session/WorkerRunner.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import type { ReplayStatePort } from '../../session/replayState.ts';
import { studioWorkerPlatform } from '../../session/studioWorkers.ts';
import { type RecordReplay, withRecordReplay } from '../../session/withRecordReplay.ts';

export interface StudioRunnerOptions {
  /** `workers` (default) or `inthread` (`?runner=inthread`). */
  readonly kind: string | null;
  readonly endpointOverrides: Readonly<Record<string, string>>;
  readonly notify: (text: string, kind: 'info' | 'error') => void;
  /** How runs split over workers (Settings; read at each start). */
  readonly scaling?: { readonly current: ScalingStrategy };
  /** The studio's runtime store (Workers panel, node chips). */
  readonly runtime: RuntimeStore;
  /** Set to the runner that started last (the Workers panel's kill/slow). */
  readonly activeRunner: ActiveRunner;
  /** The studio's recording store, as the session's listener. */
  readonly recordingStatus: RecordingStatusListener;
}

/**
 * The studio's runner: Web Workers by default (worker count from the machine's cores; they also
 * record, see WorkerRunner), the in-thread runner on request and for non-live sources.
 */
export function studioRunnerFactory(o: StudioRunnerOptions): RunnerFactory {
  return (outer) => {
    const sink = tapRuntime(o.runtime, outer, o.notify);
    const { activeRunner, recordingStatus } = o;
    const inThread = (s = sink): PipelineRunner =>
      new InThreadRunner(s, { endpointOverrides: o.endpointOverrides, recordingStatus });
    if (o.kind === 'inthread') return inThread();
    const scaling = o.scaling;
    const runner = new WorkerRunner(sink, {
      endpointOverrides: o.endpointOverrides,
      hardwareConcurrency: navigator.hardwareConcurrency || 2,
      fallback: inThread,
      recordingStatus,
      // A getter: the Settings choice applies at the next start.
      get strategy() {
        return scaling?.current;
      },
    });
    activeRunner.current = runner;
    // Live and recording runs use separate runners: "kill" goes to whichever started last.
    const start = runner.start.bind(runner);
    runner.start = (doc, options) => {
      activeRunner.current = runner;
      start(doc, options);
    };
    return runner;
  };
}

/**
 * The studio's runners with recording and replay: live runs as {@link studioRunnerFactory} makes
 * them; replays run in workers too, split as Settings say (not with `?runner=inthread`). The
 * studio loads this module on demand (`lazyRecordReplay`): it is the whole data plane.
 */
export function studioRecordReplay(
  o: StudioRunnerOptions & { readonly replayState: ReplayStatePort },
): RecordReplay {
  let platform: ReturnType<typeof studioWorkerPlatform> | undefined;
  const scaling = o.scaling;
  return withRecordReplay({
    live: studioRunnerFactory(o),
    replayState: o.replayState,
    ...(o.kind === 'inthread'
      ? {}
      : {
          replayWorkers: {
            get platform() {
              return (platform ??= studioWorkerPlatform());
            },
            get strategy() {
              return scaling?.current;
            },
            hardwareConcurrency: globalThis.navigator?.hardwareConcurrency || 2,
            // Only what the page shows leaves the workers: charted nodes every event.
            thin: true,
          },
        }),
  });
}
