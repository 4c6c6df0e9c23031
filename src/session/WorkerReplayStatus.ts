import type { ReplayRecovery, ReplayReport, ReplayWorkerTimes } from '../runtime/replayTypes.ts';
import { commonRanges, sameRanges } from '../recording/memoryRanges.ts';
import type { FedLines } from './FedLines.ts';
import type { WorkerPlan } from './workerPlan.ts';
import type { WorkerReplayOptions } from './WorkerReplayOptions.ts';

/**
 * What a worker replay tells of its workers: their rows in the replay state (nodes, restarts, a
 * failure), the status callbacks, each worker's busy time, the lines they fed, and the error
 * that ends the replay ({@link failed}).
 */
export class WorkerReplayStatus {
  /** Why the replay ended with an error (undefined while it goes on). */
  failed: string | undefined;
  private readonly times = new Map<number, ReplayWorkerTimes>();
  /** Each source worker's chunk reads that set the decoded-events cache aside. */
  private readonly fallbacks = new Map<number, number>();

  /** `wake`: what waits on the workers' progress (or on the end) may look again. */
  constructor(
    private readonly o: WorkerReplayOptions,
    private readonly fed: FedLines,
    private readonly wake: () => void,
  ) {}

  /**
   * The workers of `plan` started: one row each, with its nodes and no restart yet; and the
   * sources it moved onto their feed's worker and the nodes it merged against their worker field
   * (the canvas says why on those nodes).
   */
  started(plan: WorkerPlan): void {
    const workers = plan.graph.subgraphs.map((g) => ({
      index: g.index,
      nodeIds: g.nodes.flatMap((i) => plan.idsAtNode[i] ?? []),
      restarts: 0,
    }));
    // New workers (a pipeline edit relaunches them): what the old ones held is gone.
    this.o.state.setState({ workers, moved: plan.moved, merged: plan.merged, memory: undefined });
  }

  onReport(r: ReplayReport): void {
    if (r.spentMs) this.times.set(r.worker, r.spentMs);
    if (r.cacheFallbacks !== undefined) this.noteFallbacks(r.worker, r.cacheFallbacks);
    if (r.error !== undefined) this.fail(r.error);
    for (const f of r.userFailures ?? []) this.o.onUserFailure?.(f);
    this.fed.add(r.fed);
    this.wake();
  }

  /** What each source worker holds in memory: the state shows what all of them hold. */
  showMemory(byWorker: ReadonlyMap<number, readonly number[]>): void {
    const memory = commonRanges([...byWorker.values()]);
    if (!sameRanges(this.o.state.getState().memory, memory)) this.o.state.setState({ memory });
  }

  /** The state shows the most any source worker read from frames past the cache. */
  private noteFallbacks(worker: number, n: number): void {
    // A replacement worker counts from 0: what its predecessor read stays counted.
    this.fallbacks.set(worker, Math.max(n, this.fallbacks.get(worker) ?? 0));
    const most = Math.max(...this.fallbacks.values());
    if (most !== (this.o.state.getState().cacheFallbacks ?? 0))
      this.o.state.setState({ cacheFallbacks: most });
  }

  /** A crashed worker was restarted (of `workers`): its row counts it, and the status says so. */
  onRecovery(recovered: ReplayRecovery, workers: number): void {
    const list = this.o.state.getState().workers ?? [];
    this.o.state.setState({
      workers: list.map((w) =>
        w.index === recovered.worker ? { ...w, restarts: w.restarts + 1 } : w,
      ),
    });
    this.o.onStatus?.({ workers, recovered });
  }

  /** Worker `index` is given up on: its row says so, and the error names its nodes. */
  workerFailed(index: number, message: string): void {
    const list = this.o.state.getState().workers ?? [];
    const nodes = list.find((w) => w.index === index)?.nodeIds ?? [];
    this.o.state.setState({
      workers: list.map((w) => (w.index === index ? { ...w, failed: message } : w)),
    });
    this.fail(nodes.length > 0 ? `${message} (its nodes: ${nodes.join(', ')})` : message);
  }

  /** The replay ends with `message` (the first error only). */
  fail(message: string): void {
    if (this.failed !== undefined) return;
    this.failed = message;
    this.o.state.setState({ playing: false, busy: undefined });
    this.o.onStatus?.({ error: message });
    this.wake();
  }

  /** Each worker's busy time so far, as last reported (benches). */
  workerTimes(): ReadonlyMap<number, ReplayWorkerTimes> {
    return this.times;
  }

  /** New workers: the old ones' times are gone. */
  clearTimes(): void {
    this.times.clear();
  }
}
