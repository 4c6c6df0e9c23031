import type { FeatureStreamGraph } from '../core/graph/FeatureStreamGraph.ts';
import type { CommitGate } from './CommitGate.ts';
import type { InputMerger } from './InputMerger.ts';
import { listen, type PortLike } from './ports.ts';
import type { WorkerPorts } from './WorkerPorts.ts';
import type { LiveTap, WorkerCheckpoint, WorkerReport } from './workerTypes.ts';

/** What a stream worker's checkpoint is taken of. */
export interface CheckpointParts {
  readonly graph: FeatureStreamGraph;
  readonly merger: InputMerger;
  readonly ports: WorkerPorts;
  /** Input lanes (1 + in-edges). */
  readonly lanes: number;
  /** The live sequence's last number. */
  readonly lastSeq: number;
  readonly tap: LiveTap | undefined;
  readonly gate: CommitGate | undefined;
}

/**
 * A stream worker's checkpoint bookkeeping: the last id, what each checkpoint not yet stored
 * holds of every input lane (released upstream once the manager stores it), and whether
 * anything was processed since the last periodic one.
 */
export class WorkerCheckpoints {
  /** The last checkpoint id taken (or restored). */
  id = 0;
  private readonly inNById = new Map<number, number[]>();
  private lastProcessed = -1;

  /** A periodic checkpoint is worth taking: inputs were processed since the last (marks them). */
  due(processed: number): boolean {
    if (processed === this.lastProcessed) return false;
    this.lastProcessed = processed;
    return true;
  }

  /** A new checkpoint of `p`, remembering what it holds of each input lane. */
  capture(p: CheckpointParts): WorkerCheckpoint {
    const id = ++this.id;
    const inN = p.ports.nextN(p.lanes);
    this.inNById.set(id, inN);
    return {
      id,
      graph: p.graph.snapshot(),
      inN,
      lanes: p.merger.state(),
      out: p.ports.outState(),
      results: p.ports.results!.state(),
      lastSeq: p.lastSeq,
      ...(p.tap?.checkpoint ? { tap: p.tap.checkpoint(id) } : {}),
      ...(p.gate ? { gate: p.gate.checkpoint(id) } : {}),
    };
  }

  /**
   * Checkpoint `id` is stored: what it holds of each lane (undefined if unknown here), and
   * earlier ones are forgotten.
   */
  stored(id: number): number[] | undefined {
    const inN = this.inNById.get(id);
    if (!inN) return undefined;
    for (const [k] of this.inNById) if (k <= id) this.inNById.delete(k);
    return inN;
  }
}

/** Post `ck` sealed: queued on a fresh channel whose unread end goes to the manager. */
export function postSealed(main: PortLike | undefined, ck: WorkerCheckpoint): void {
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(ck);
  port1.close();
  main?.postMessage({ t: 'ck', ck: { id: ck.id, port: port2 } } satisfies WorkerReport, [port2]);
}

/** The checkpoint queued on a sealed port (see `SealedCheckpoint`); closes the port. */
export function unseal(port: PortLike): Promise<WorkerCheckpoint> {
  return new Promise((resolve) => {
    const off = listen(port, (data) => {
      off();
      port.close?.();
      resolve(data as WorkerCheckpoint);
    });
  });
}
