import type { PipelineDoc } from '../core/config/PipelineDoc.ts';
import { ReplayManager } from '../runtime/ReplayManager.ts';
import { CHECKPOINT_LINES, MAX_CHECKPOINTS } from './ReplayEngine.ts';
import type { ReplayOutputs } from './ReplayOutputs.ts';
import { planWorkers, type WorkerPlan } from './workerPlan.ts';
import type { WorkerReplayOptions } from './WorkerReplayOptions.ts';
import type { WorkerReplayStatus } from './WorkerReplayStatus.ts';

/** Where a replay's workers report, while they are their controller's current ones. */
export interface LaunchHooks {
  readonly outputs: ReplayOutputs;
  readonly status: WorkerReplayStatus;
  /** Whether `m` is the controller's manager (until started, or once replaced: not). */
  current(m: ReplayManager): boolean;
  /** The workers' progress changed: waiters may look again. */
  wake(): void;
  /** `doc`'s plan, known before the workers start. */
  planned(plan: WorkerPlan): void;
}

/**
 * Plan `doc` over workers with the live partitioning (`workerPlan.ts`) and start a
 * `ReplayManager` over them, its outputs, progress, reports, recoveries and failures going to
 * `h` while its manager is the current one. Undefined when the plan has no workers.
 */
export async function launchReplayWorkers(
  o: WorkerReplayOptions,
  doc: PipelineDoc,
  h: LaunchHooks,
): Promise<{ manager: ReplayManager; plan: WorkerPlan } | undefined> {
  const plan = planWorkers(doc, o.hardwareConcurrency ?? 2, o.strategy);
  if (!plan.graph) return undefined;
  h.planned(plan);
  const manager: ReplayManager = new ReplayManager(plan.graph, o.platform, {
    checkpointLines: CHECKPOINT_LINES,
    maxCheckpoints: MAX_CHECKPOINTS,
    input: o.input,
    onOutputs: (outs) => {
      if (!h.current(manager)) return;
      h.outputs.add(outs, plan.idsAtOutput);
      h.wake();
    },
    onComplete: (line) => {
      if (!h.current(manager)) return;
      h.outputs.passed(line);
      h.wake();
    },
    onReport: (r) => h.current(manager) && h.status.onReport(r),
    onMemory: (memory) => h.current(manager) && h.status.showMemory(memory),
    onRecovery: (recovered) => {
      if (!h.current(manager)) return;
      h.status.onRecovery(recovered, plan.graph.subgraphs.length);
    },
    onFatal: (message, worker) => h.current(manager) && h.status.workerFailed(worker, message),
  });
  await manager.start();
  return { manager, plan };
}
